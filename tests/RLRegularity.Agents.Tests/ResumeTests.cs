using System.Text.Json.Nodes;
using RLRegularity.Agents.Common;
using RLRegularity.Logging;
using RLRegularity.TestSupport;

namespace RLRegularity.Agents.Tests;

/// <summary>
/// Resume is exact or refuses: damaged checkpoints are set aside and an older one is used (with the CSVs and TensorBoard
/// cut back to it), an edited config.json is refused, a finished run is extended only on request, and config.json
/// records the commit the code was built from and the command line.
/// </summary>
public sealed class ResumeTests : IDisposable
{
    private readonly string _root = Directory.CreateTempSubdirectory("rlreg-resume").FullName;

    public void Dispose() => Directory.Delete(_root, recursive: true);

    // PPO on CartPole in 64-step rollouts: checkpoints at 1024 and 2048, an interruption at 2560, the end at 3072.
    private static readonly RunSettings Settings = new("ppo", "CartPole-v1", 5, 3072, "classic", 1, 1024, 1);
    private static JsonObject Config => AgentFactory.Resolve("ppo", "classic", null, ["num_steps=64"]);

    private static string Rows(string path, int columns) =>
        string.Join('\n', File.ReadLines(path).Select(l => string.Join(',', l.Split(',').Take(columns))));

    private string Whole()
    {
        string whole = Path.Combine(_root, "whole");
        if (!Directory.Exists(whole))
            using (var run = TrainingRun.Create(whole, Settings, Config)) Assert.Equal(RunOutcome.Completed, run.Run(CancellationToken.None));
        return whole;
    }

    private string Interrupted(string name, long at = 2500)
    {
        string folder = Path.Combine(_root, name);
        using var run = TrainingRun.Create(folder, Settings, Config);
        using var stop = new CancellationTokenSource();
        run.ProgressInterval = TimeSpan.Zero;
        run.Progress = p => { if (p.Step >= at) stop.Cancel(); };
        Assert.Equal(RunOutcome.Interrupted, run.Run(stop.Token));
        return folder;
    }

    private static void AssertSameRun(string whole, string resumed)
    {
        Assert.Equal(Rows(Path.Combine(whole, "episodes.csv"), 4), Rows(Path.Combine(resumed, "episodes.csv"), 4));
        Assert.Equal(Rows(Path.Combine(whole, "updates.csv"), 11), Rows(Path.Combine(resumed, "updates.csv"), 11));
    }

    [Theory]
    [InlineData("actor.weights", "truncate")]
    [InlineData("adam.state", "truncate")]
    [InlineData("learner.state", "flip")]
    [InlineData("run.state.json", "truncate")]
    [InlineData("manifest.json", "truncate")]
    [InlineData("critic.weights", "delete")]
    public void DamagedLatestCheckpointIsSetAsideAndTheRunResumesExactlyFromAnOlderOne(string file, string damage)
    {
        string whole = Whole(), split = Interrupted($"damaged-{file}-{damage}");
        string latest = TrainingRun.LatestCheckpoint(split)!;
        Assert.Equal("step-0000002560", Path.GetFileName(latest));
        string path = Path.Combine(latest, file);
        switch (damage)
        {
            case "truncate":
                File.WriteAllBytes(path, File.ReadAllBytes(path)[..(int)(new FileInfo(path).Length / 2)]);
                break;
            case "flip":
                byte[] bytes = File.ReadAllBytes(path);
                bytes[^1] ^= 0xFF;
                File.WriteAllBytes(path, bytes);
                break;
            default:
                File.Delete(path);
                break;
        }
        var warnings = new List<string>();
        using (var run = TrainingRun.Resume(split, new ResumeOptions { Warn = warnings.Add }))
        {
            Assert.Equal(2048, run.Learner.GlobalStep);
            Assert.Equal(RunOutcome.Completed, run.Run(CancellationToken.None));
        }
        string warning = Assert.Single(warnings);
        Assert.Contains("step-0000002560", warning);
        Assert.Contains(file, warning);
        Assert.Single(Directory.GetDirectories(Path.Combine(split, "checkpoints"), "corrupt-step-0000002560-*"));
        AssertSameRun(whole, split);
    }

    [Fact]
    public void CheckpointWithoutManifestThatFailsToLoadIsSetAsideToo()
    {
        // Checkpoints of earlier versions have no manifest: a damaged one is found when it fails to load.
        string whole = Whole(), split = Interrupted("legacy");
        string latest = TrainingRun.LatestCheckpoint(split)!;
        File.Delete(Path.Combine(latest, CheckpointStore.ManifestFile));
        File.WriteAllText(Path.Combine(latest, "run.state.json"), "{\"wall_seconds\": 1, \"episodes_csv_len");
        var warnings = new List<string>();
        using (var run = TrainingRun.Resume(split, new ResumeOptions { Warn = warnings.Add })) run.Run(CancellationToken.None);
        Assert.Contains("run.state.json", Assert.Single(warnings));
        AssertSameRun(whole, split);
    }

    [Fact]
    public void WithNoIntactCheckpointTheRunStartsOverAndStillEqualsTheUninterruptedRun()
    {
        string whole = Whole(), split = Interrupted("none-intact");
        foreach (string checkpoint in CheckpointStore.Newest(split)) File.Delete(Path.Combine(checkpoint, "learner.state"));
        var warnings = new List<string>();
        using (var run = TrainingRun.Resume(split, new ResumeOptions { Warn = warnings.Add })) run.Run(CancellationToken.None);
        Assert.Contains(warnings, w => w.Contains("starts again from step 0"));
        AssertSameRun(whole, split);
    }

    [Fact]
    public void EditedConfigIsRefusedNamingTheKey()
    {
        string split = Interrupted("edited");
        string config = Path.Combine(split, "config.json");
        JsonObject document = JsonNode.Parse(File.ReadAllText(config))!.AsObject();
        document["agent_config"]!["learning_rate"] = 0.5;
        File.WriteAllText(config, document.ToJsonString());
        var e = Assert.Throws<InvalidDataException>(() => TrainingRun.Resume(split));
        Assert.Contains("learning_rate: 0.5", e.Message);
        // Nothing was touched: the checkpoint and the lock are free for a corrected retry.
        Assert.Equal("step-0000002560", Path.GetFileName(TrainingRun.LatestCheckpoint(split)));
        Assert.False(TrainingRun.IsInUse(split));
    }

    [Fact]
    public void NamedCheckpointIsResumedAndNewerOnesAreSetAside()
    {
        string whole = Whole(), split = Interrupted("named");
        var warnings = new List<string>();
        using (var run = TrainingRun.Resume(split, new ResumeOptions { Checkpoint = "step-0000002048", Warn = warnings.Add }))
        {
            Assert.Equal(2048, run.Learner.GlobalStep);
            run.Run(CancellationToken.None);
        }
        Assert.Contains(warnings, w => w.Contains("step-0000002560"));
        AssertSameRun(whole, split);
        var missing = Assert.Throws<ArgumentException>(() => TrainingRun.Resume(split, new ResumeOptions { Checkpoint = "step-9" }));
        Assert.Contains("final", missing.Message);
    }

    [Fact]
    public void FinishedRunIsExtendedOnlyOnRequestAndKeepsWhatItHad()
    {
        string folder = Path.Combine(_root, "extended");
        var shortRun = Settings with { Steps = 2048 };
        using (var run = TrainingRun.Create(folder, shortRun, Config)) run.Run(CancellationToken.None);
        string firstSummary = File.ReadAllText(Path.Combine(folder, "summary.json"));
        using (var run = TrainingRun.Resume(folder)) Assert.Equal(RunOutcome.Completed, run.Run(CancellationToken.None));
        Assert.Equal(2048, TrainingRun.ReadConfig(folder).Settings.Steps);

        Assert.Throws<ArgumentException>(() => TrainingRun.Resume(folder, new ResumeOptions { ExtendTo = 2048 }));
        using (var run = TrainingRun.Resume(folder, new ResumeOptions { ExtendTo = 3072, CommandLine = ["rlreg", "train", "--resume", folder, "--extend-to", "3072"] }))
        {
            Assert.Equal(2048, run.Learner.GlobalStep);
            Assert.Equal(RunOutcome.Completed, run.Run(CancellationToken.None));
            Assert.Equal(3072, run.Learner.GlobalStep);
        }
        JsonObject config = JsonNode.Parse(File.ReadAllText(Path.Combine(folder, "config.json")))!.AsObject();
        Assert.Equal(3072, config["run"]!["steps"]!.GetValue<long>());
        JsonNode extension = Assert.Single(config["extensions"]!.AsArray())!;
        Assert.Equal(2048, extension["from_steps"]!.GetValue<long>());
        Assert.Equal(2048, extension["at_step"]!.GetValue<long>());
        Assert.Equal("--extend-to", extension["command_line"]![4]!.GetValue<string>());
        // The shorter run's summary and final checkpoint are kept under names that say which run they end.
        Assert.Equal(firstSummary, File.ReadAllText(Path.Combine(folder, "summary.2048-steps.json")));
        Assert.True(Directory.Exists(Path.Combine(folder, "checkpoints", "final-2048")));
        Assert.Equal(3072, JsonNode.Parse(File.ReadAllText(Path.Combine(folder, "summary.json")))!["steps"]!.GetValue<long>());
        // Resuming the extended run again is a no-op that finds its final checkpoint.
        using (var run = TrainingRun.Resume(folder)) Assert.Equal(3072, run.Learner.GlobalStep);
    }

    [Fact]
    public void TensorBoardShowsEveryPointOnceAfterAResume()
    {
        // A process killed after logging past its last checkpoint: the run went on to the end, but its final checkpoint
        // and summary were never written, so it resumes from step 2048.
        string whole = Whole(), split = Path.Combine(_root, "tensorboard");
        using (var run = TrainingRun.Create(split, Settings, Config)) run.Run(CancellationToken.None);
        Directory.Delete(Path.Combine(split, "checkpoints", "final"), recursive: true);
        File.Delete(Path.Combine(split, "summary.json"));
        using (var run = TrainingRun.Resume(split))
        {
            Assert.Equal(2048, run.Learner.GlobalStep);
            run.Run(CancellationToken.None);
        }
        // The killed process wrote points past its checkpoint that the resumed one wrote again; after
        // TensorBoard's purge the points are exactly the uninterrupted run's (several copies of CartPole end episodes
        // at one step, so (tag, step) pairs repeat in both: compare as multisets).
        var expected = TensorBoardPoints(whole, applyPurges: true);
        Assert.True(TensorBoardPoints(split, applyPurges: false).Count > expected.Count, "the test needs points written twice");
        var shown = TensorBoardPoints(split, applyPurges: true);
        Assert.True(expected.Order().SequenceEqual(shown.Order()),
            $"only in the whole run: {string.Join(" ", expected.Except(shown).Take(20))}; only after the resume: {string.Join(" ", shown.Except(expected).Take(20))}; counts {expected.Count} and {shown.Count}");
    }

    // The (tag, step) of every scalar, reading the event files in name order as TensorBoard does; with applyPurges, a
    // SessionLog.START at step s drops the points read so far at steps ≥ s (TensorBoard's purge of orphaned data).
    private static List<(string Tag, long Step)> TensorBoardPoints(string folder, bool applyPurges)
    {
        var points = new List<(string Tag, long Step)>();
        foreach (string file in Directory.GetFiles(folder, "events.out.tfevents.*").Order(StringComparer.Ordinal))
        {
            foreach (byte[] record in TfRecordFile.Read(file))
            {
                var e = Tensorboard.Event.Parser.ParseFrom(record);
                if (e.SessionLog?.Status == Tensorboard.SessionLog.Types.SessionStatus.Start && applyPurges) points.RemoveAll(p => p.Step >= e.Step);
                if (e.Summary is { } summary) points.AddRange(summary.Value.Select(v => (v.Tag, e.Step)));
            }
        }
        return points;
    }

    [Fact]
    public void ConfigRecordsTheBuildCommitAndTheCommandLine()
    {
        string folder = Path.Combine(_root, "provenance");
        string[] command = ["rlreg", "train", "--agent", "ppo", "--note", "a b"];
        using (TrainingRun.Create(folder, Settings, Config, command)) { }
        JsonObject config = JsonNode.Parse(File.ReadAllText(Path.Combine(folder, "config.json")))!.AsObject();
        Assert.Equal(command, config["command_line"]!.AsArray().Select(a => a!.GetValue<string>()));
        // The commit is the one the assembly was built from, not whatever repository the process stands in.
        string head = ChildProcess.RunOrThrow("git", ["rev-parse", "HEAD"], ReferenceData.RepositoryRoot).Trim();
        Assert.Equal(head, config["git_commit"]!.GetValue<string>());
        Assert.Equal(BuildProvenance.GitCommit, head);
        Assert.NotNull(config["git_dirty"]);
        Assert.IsType<bool>(BuildProvenance.GitDirty);
    }

    [Fact]
    public void AnEpisodeBudgetStopsAfterExactlyThatManyEpisodesAndResumesExactly()
    {
        // The paper's DQN counts episodes: 40 of them, with the step cap far away.
        var settings = new RunSettings("dqn", "CartPole-v1", 7, 40 * 500, "paper", 1, 300, 1, Episodes: 40);
        JsonObject config = AgentFactory.Resolve("dqn", "paper", null, []);
        string whole = Path.Combine(_root, "episodes-whole"), split = Path.Combine(_root, "episodes-split");
        using (var run = TrainingRun.Create(whole, settings, config)) Assert.Equal(RunOutcome.Completed, run.Run(CancellationToken.None));
        var rows = File.ReadAllLines(Path.Combine(whole, "episodes.csv")).Skip(1).ToList();
        Assert.Equal(40, rows.Count);
        JsonNode summary = JsonNode.Parse(File.ReadAllText(Path.Combine(whole, "summary.json")))!;
        Assert.Equal(40, summary["episodes"]!.GetValue<long>());
        // The run ends with the step that ended episode 40.
        Assert.Equal(long.Parse(rows[^1].Split(',')[0]), summary["steps"]!.GetValue<long>());

        using (var run = TrainingRun.Create(split, settings, config))
        {
            using var stop = new CancellationTokenSource();
            run.ProgressInterval = TimeSpan.Zero;
            run.Progress = p => { if (p.Episodes >= 25) stop.Cancel(); };
            Assert.Equal(RunOutcome.Interrupted, run.Run(stop.Token));
        }
        using (var run = TrainingRun.Resume(split)) Assert.Equal(RunOutcome.Completed, run.Run(CancellationToken.None));
        Assert.Equal(Rows(Path.Combine(whole, "episodes.csv"), 4), Rows(Path.Combine(split, "episodes.csv"), 4));
        Assert.Equal(Rows(Path.Combine(whole, "updates.csv"), 8), Rows(Path.Combine(split, "updates.csv"), 8));
    }

    [Fact]
    public void PpoStopsAtTheEndOfTheUpdateWhoseRolloutEndedTheLastBudgetedEpisode()
    {
        var settings = Settings with { Steps = 100_000, Episodes = 30 };
        string folder = Path.Combine(_root, "ppo-episodes");
        using (var run = TrainingRun.Create(folder, settings, Config)) run.Run(CancellationToken.None);
        JsonNode summary = JsonNode.Parse(File.ReadAllText(Path.Combine(folder, "summary.json")))!;
        long steps = summary["steps"]!.GetValue<long>(), episodes = summary["episodes"]!.GetValue<long>();
        Assert.True(episodes >= 30, $"{episodes} episodes");
        // 4 copies × 64 steps per rollout: the run ends on an update boundary, within the rollout that ended episode 30.
        Assert.Equal(0, steps % 256);
        long thirtieth = long.Parse(File.ReadLines(Path.Combine(folder, "episodes.csv")).ElementAt(30).Split(',')[0]);
        Assert.InRange(steps - thirtieth, 0, 255);
    }

    [Fact]
    public void InvalidSettingsAreRefusedBeforeAnythingIsCreated()
    {
        string folder = Path.Combine(_root, "regularity-every-0");
        var e = Assert.Throws<ArgumentException>(() => TrainingRun.Create(folder, Settings with { RegularityEvery = 0 }, Config));
        Assert.Contains("--regularity-every", e.Message);
        Assert.False(Directory.Exists(folder));
        // The retry with a valid value is not blocked by a half-written folder.
        using (TrainingRun.Create(folder, Settings, Config)) { }
    }
}
