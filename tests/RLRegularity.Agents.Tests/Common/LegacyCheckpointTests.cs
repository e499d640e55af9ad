using System.Globalization;
using RLRegularity.Agents.Common;
using RLRegularity.Agents.Dqn;
using RLRegularity.Agents.Ppo;
using RLRegularity.Envs.Core;
using RLRegularity.Normalization;
using RLRegularity.TestSupport;

namespace RLRegularity.Agents.Tests.Common;

/// <summary>
/// Checkpoints in the formats before episode statistics moved into RecordEpisodeStatistics (ppo/1, dqn/1), written by
/// main at 2a1a17e (tests/reference/checkpoints), load and continue exactly as the run that wrote them did.
/// </summary>
public sealed class LegacyCheckpointTests
{
    private sealed class Recorder : ITrainingObserver
    {
        public List<EpisodeRecord> Episodes { get; } = [];
        public List<UpdateRecord> Updates { get; } = [];
        public void OnEpisode(EpisodeRecord episode) => Episodes.Add(episode);
        public void OnUpdate(UpdateRecord update) => Updates.Add(update);
    }

    private static string Fixture(string name) => Path.GetDirectoryName(ReferenceData.File("checkpoints", name, "learner.state"))!;

    // The rows of a fixture CSV after the checkpoint's step, as numbers (empty cells are NaN, as CsvLog writes NaN).
    private static List<double[]> RowsAfter(string name, string file, long step) =>
        [.. File.ReadLines(Path.Combine(Fixture(name), file)).Skip(1)
            .Select(line => line.Split(',').Select(v => v.Length == 0 ? double.NaN : double.Parse(v, CultureInfo.InvariantCulture)).ToArray())
            .Where(row => row[0] > step)];

    private static void AssertContinuesAsWritten(string name, long step, Recorder recorder, int metricCount)
    {
        List<double[]> episodes = RowsAfter(name, "episodes.csv", step);
        Assert.NotEmpty(episodes);
        Assert.Equal(episodes.Select(r => (r[0], r[1], r[2], r[3])),
            recorder.Episodes.Select(e => ((double)e.GlobalStep, (double)e.Episode, e.Return, (double)e.Length)));
        // Every update metric but sps (and the wall_seconds column after it), bit for bit.
        List<double[]> updates = RowsAfter(name, "updates.csv", step);
        Assert.NotEmpty(updates);
        Assert.Equal(updates.Select(r => r[..(2 + metricCount - 1)]),
            recorder.Updates.Select(u => (double[])[u.GlobalStep, u.Update, .. u.Values[..^1]]));
    }

    [Fact]
    public void Ppo1CheckpointResumesExactly()
    {
        TorchRuntime.Initialize(1);
        var config = PpoConfig.Classic with { NumEnvs = 2, NumSteps = 64, HiddenSizes = [8, 8], Normalizer = NormalizerKind.RN };
        using var learner = new PpoLearner(config, new SyncVectorEnv(_ => EnvRegistry.Make("CartPole-v1"), 2), seed: 1, totalSteps: 1024);
        learner.LoadCheckpoint(Fixture("ppo-1"));
        Assert.Equal(512, learner.GlobalStep);
        var recorder = new Recorder();
        learner.LearnUntil(1024, recorder, CancellationToken.None);
        AssertContinuesAsWritten("ppo-1", 512, recorder, learner.UpdateColumns.Count);
    }

    [Fact]
    public void Dqn1CheckpointResumesExactly()
    {
        TorchRuntime.Initialize(1);
        var config = DqnConfig.Tuned with { BufferSize = 300, LearningStarts = 100, HiddenSizes = [8, 8], Normalizer = NormalizerKind.RN };
        using var learner = new DqnLearner(config, EnvRegistry.Make("CartPole-v1"), seed: 1, totalSteps: 1000);
        learner.LoadCheckpoint(Fixture("dqn-1"));
        Assert.Equal(500, learner.GlobalStep);
        var recorder = new Recorder();
        learner.LearnUntil(1000, recorder, CancellationToken.None);
        AssertContinuesAsWritten("dqn-1", 500, recorder, learner.UpdateColumns.Count);
    }

    [Fact]
    public void UnknownFormatsAreRefusedNamingTheReadableOnes()
    {
        TorchRuntime.Initialize(1);
        var config = PpoConfig.Classic with { NumEnvs = 2, NumSteps = 64, HiddenSizes = [8, 8], Normalizer = NormalizerKind.RN };
        string copy = Path.Combine(Path.GetTempPath(), "rlreg-legacy-" + Guid.NewGuid().ToString("N"));
        try
        {
            Directory.CreateDirectory(copy);
            foreach (string file in Directory.GetFiles(Fixture("ppo-1"))) File.Copy(file, Path.Combine(copy, Path.GetFileName(file)));
            using (var writer = new BinaryWriter(File.Create(Path.Combine(copy, "learner.state")))) writer.Write("ppo/0");
            using var learner = new PpoLearner(config, new SyncVectorEnv(_ => EnvRegistry.Make("CartPole-v1"), 2), seed: 1, totalSteps: 1024);
            var e = Assert.Throws<InvalidDataException>(() => learner.LoadCheckpoint(copy));
            Assert.Contains("'ppo/0'", e.Message);
            Assert.Contains("'ppo/2' or 'ppo/1'", e.Message);
        }
        finally
        {
            Directory.Delete(copy, recursive: true);
        }
    }
}
