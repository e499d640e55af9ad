using System.Text.Json.Nodes;
using RLRegularity.Agents.Common;

namespace RLRegularity.Agents.Tests;

/// <summary>Run folders: files, exact resume from a checkpoint, refusal to overwrite.</summary>
public sealed class TrainingRunTests : IDisposable
{
    private readonly string _root = Directory.CreateTempSubdirectory("rlreg-runs").FullName;

    public void Dispose() => Directory.Delete(_root, recursive: true);

    private static (RunSettings, JsonObject) Ppo(long steps, long checkpointEvery, string norm = "none") =>
        (new RunSettings("ppo", "CartPole-v1", 3, steps, "classic", 1, checkpointEvery, 1),
         AgentFactory.Resolve("ppo", "classic", null, [$"normalizer=\"{norm}\"", "num_steps=64"]));

    private static string Rows(string path, int columns) =>
        string.Join('\n', File.ReadLines(path).Select(l => string.Join(',', l.Split(',').Take(columns))));

    [Fact]
    public void ResumedRunEqualsUninterruptedRun()
    {
        (RunSettings settings, JsonObject config) = Ppo(steps: 6144, checkpointEvery: 1024);
        string whole = Path.Combine(_root, "whole"), split = Path.Combine(_root, "split");
        using (var run = TrainingRun.Create(whole, settings, config)) Assert.Equal(RunOutcome.Completed, run.Run(CancellationToken.None));

        using (var run = TrainingRun.Create(split, settings, config))
        {
            using var stop = new CancellationTokenSource();
            // Interrupt mid-run, as SIGINT does: the run writes a checkpoint and returns. Progress at every episode and
            // update, so the interruption lands at the same step whatever the machine's speed.
            run.ProgressInterval = TimeSpan.Zero;
            run.Progress = p => { if (p.Step >= 3000) stop.Cancel(); };
            Assert.Equal(RunOutcome.Interrupted, run.Run(stop.Token));
            Assert.True(File.ReadLines(Path.Combine(split, "updates.csv")).Count() > 1);
        }
        // Simulate a crash after the checkpoint: junk rows past it must disappear on resume.
        File.AppendAllText(Path.Combine(split, "episodes.csv"), "999999,1,1,1,1\n");
        using (var run = TrainingRun.Resume(split)) Assert.Equal(RunOutcome.Completed, run.Run(CancellationToken.None));

        Assert.Equal(Rows(Path.Combine(whole, "episodes.csv"), 4), Rows(Path.Combine(split, "episodes.csv"), 4));
        Assert.Equal(Rows(Path.Combine(whole, "updates.csv"), 11), Rows(Path.Combine(split, "updates.csv"), 11));
        Assert.True(File.Exists(Path.Combine(split, "summary.json")));
        Assert.True(Directory.Exists(Path.Combine(split, "checkpoints", "final")));
    }

    [Fact]
    public void SignalDuringTheLastStepsCompletesTheRun()
    {
        (RunSettings settings, JsonObject config) = Ppo(steps: 2048, checkpointEvery: 1024);
        string folder = Path.Combine(_root, "late-signal");
        using var run = TrainingRun.Create(folder, settings, config);
        using var stop = new CancellationTokenSource();
        run.ProgressInterval = TimeSpan.Zero;
        run.Progress = p => { if (p.Step >= settings.Steps) stop.Cancel(); };
        Assert.Equal(RunOutcome.Completed, run.Run(stop.Token));
        Assert.True(stop.IsCancellationRequested);
        Assert.True(Directory.Exists(Path.Combine(folder, "checkpoints", "final")));
        Assert.True(File.Exists(Path.Combine(folder, "summary.json")));
    }

    [Fact]
    public void ResumedDqnRunEqualsUninterruptedRun() => ResumedDqnRun("none");

    [Fact]
    public void ResumedDqnRunWithRnEqualsUninterruptedRun() => ResumedDqnRun("rn");

    private void ResumedDqnRun(string norm) => AssertResumeIsExact($"dqn-{norm}",
        new RunSettings("dqn", "CartPole-v1", 4, 4000, "tuned", 1, 1000, 1),
        AgentFactory.Resolve("dqn", "tuned", null, [$"normalizer=\"{norm}\"", "learning_starts=500", "train_frequency=4"]),
        interruptAt: 2500, ("episodes.csv", 4), ("updates.csv", 9), ("regularity.csv", 9));

    [Fact]
    public void PpoMiniGridRunWithRnResumesExactly()
    {
        // The shared grid encoder is checkpointed beside the heads (and RN's state inside them).
        string split = AssertResumeIsExact("ppo-grid-rn",
            new RunSettings("ppo", "MiniGrid-DoorKey-5x5-v0", 2, 2048, "minigrid", 1, 512, 1),
            AgentFactory.Resolve("ppo", "minigrid", null, ["normalizer=\"rn\"", "num_envs=4", "num_steps=64", "num_minibatches=2"]),
            interruptAt: 1000, ("episodes.csv", 4), ("updates.csv", 11), ("regularity.csv", 9));
        Assert.True(File.Exists(Path.Combine(TrainingRun.LatestCheckpoint(split)!, "encoder.weights")));
    }

    // Runs the config whole, then again interrupted (as SIGINT does) at interruptAt and resumed; the named CSVs must
    // agree on their leading (non-timing) columns. Returns the interrupted run's folder.
    private string AssertResumeIsExact(string name, RunSettings settings, JsonObject config, long interruptAt, params (string File, int Columns)[] compared)
    {
        string whole = Path.Combine(_root, name + "-whole"), split = Path.Combine(_root, name + "-split");
        using (var run = TrainingRun.Create(whole, settings, config)) Assert.Equal(RunOutcome.Completed, run.Run(CancellationToken.None));
        using (var run = TrainingRun.Create(split, settings, config))
        {
            using var stop = new CancellationTokenSource();
            run.ProgressInterval = TimeSpan.Zero;
            run.Progress = p => { if (p.Step >= interruptAt) stop.Cancel(); };
            Assert.Equal(RunOutcome.Interrupted, run.Run(stop.Token));
        }
        using (var run = TrainingRun.Resume(split)) Assert.Equal(RunOutcome.Completed, run.Run(CancellationToken.None));
        foreach ((string file, int columns) in compared)
            Assert.Equal(Rows(Path.Combine(whole, file), columns), Rows(Path.Combine(split, file), columns));
        return split;
    }

    [Fact]
    public void RunFolderHoldsTheDocumentedFiles()
    {
        (RunSettings settings, JsonObject config) = Ppo(steps: 1024, checkpointEvery: 512);
        string folder = Path.Combine(_root, "files");
        using (var run = TrainingRun.Create(folder, settings, config)) run.Run(CancellationToken.None);
        foreach (string file in new[] { "config.json", "episodes.csv", "updates.csv", "regularity.csv", "summary.json" })
            Assert.True(File.Exists(Path.Combine(folder, file)), file);
        Assert.NotEmpty(Directory.GetFiles(folder, "events.out.tfevents.*"));
        JsonObject written = JsonNode.Parse(File.ReadAllText(Path.Combine(folder, "config.json")))!.AsObject();
        Assert.Equal("ppo", written["run"]!["agent"]!.GetValue<string>());
        Assert.Equal(64, written["agent_config"]!["num_steps"]!.GetValue<int>());
        Assert.NotNull(written["machine"]);
        // Where the run's floating-point results come from: the processor and the vector width .NET used.
        JsonNode cpu = written["machine"]!["cpu"]!;
        Assert.Contains(cpu["vector_bits"]!.GetValue<int>(), new[] { 0, 128, 256, 512 });
        if (File.Exists("/proc/cpuinfo")) Assert.False(string.IsNullOrEmpty(cpu["model_name"]?.GetValue<string>()));
        var (readSettings, readConfig) = TrainingRun.ReadConfig(folder);
        Assert.Equal(settings, readSettings);
        Assert.Equal(config.ToJsonString(), readConfig.ToJsonString());
    }

    [Fact]
    public void TensorBoardGetsUpdateScalarsAtMostEveryHundredStepsAndTheCsvEveryUpdate()
    {
        // DQN learning every step from step 200 of 2000: 1800 updates, 18 of them 100 steps apart.
        var settings = new RunSettings("dqn", "CartPole-v1", 1, 2000, "tuned", 1, 2000, 1);
        JsonObject config = AgentFactory.Resolve("dqn", "tuned", null, ["learning_starts=200", "train_frequency=1"]);
        string folder = Path.Combine(_root, "tensorboard");
        using (var run = TrainingRun.Create(folder, settings, config)) run.Run(CancellationToken.None);
        Assert.Equal(1 + 1800, File.ReadLines(Path.Combine(folder, "updates.csv")).Count());
        byte[] events = File.ReadAllBytes(Assert.Single(Directory.GetFiles(folder, "events.out.tfevents.*")));
        int lossEvents = Occurrences(events, "losses/loss"u8), returnEvents = Occurrences(events, "charts/episodic_return"u8);
        Assert.InRange(lossEvents, 17, 18);
        Assert.Equal(File.ReadLines(Path.Combine(folder, "episodes.csv")).Count() - 1, returnEvents);
    }

    private static int Occurrences(ReadOnlySpan<byte> haystack, ReadOnlySpan<byte> needle)
    {
        int count = 0;
        for (int at = haystack.IndexOf(needle); at >= 0; at = haystack.IndexOf(needle))
        {
            count++;
            haystack = haystack[(at + needle.Length)..];
        }
        return count;
    }

    [Fact]
    public void ExistingFolderIsNeverOverwritten()
    {
        (RunSettings settings, JsonObject config) = Ppo(steps: 512, checkpointEvery: 512);
        string folder = Path.Combine(_root, "taken");
        Directory.CreateDirectory(folder);
        File.WriteAllText(Path.Combine(folder, "notes.txt"), "mine");
        var e = Assert.Throws<ArgumentException>(() => TrainingRun.Create(folder, settings, config));
        Assert.Contains("--resume", e.Message);
        Assert.Equal("mine", File.ReadAllText(Path.Combine(folder, "notes.txt")));
    }

    [Fact]
    public void SameSeedGivesIdenticalEpisodes()
    {
        (RunSettings settings, JsonObject config) = Ppo(steps: 2048, checkpointEvery: 2048);
        string a = Path.Combine(_root, "a"), b = Path.Combine(_root, "b");
        using (var run = TrainingRun.Create(a, settings, config)) run.Run(CancellationToken.None);
        using (var run = TrainingRun.Create(b, settings, config)) run.Run(CancellationToken.None);
        Assert.Equal(Rows(Path.Combine(a, "episodes.csv"), 4), Rows(Path.Combine(b, "episodes.csv"), 4));
    }
}
