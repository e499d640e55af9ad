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
/// main at 2a1a17e (tests/reference/checkpoints), load and continue as the run that wrote them did: the same episodes,
/// and the same update metrics up to the last bits another processor rounds differently.
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
        // Every update metric but sps (and the wall_seconds column after it). The fixtures were written on another
        // processor generation, whose matrix kernels round float32 differently in the last bits (runs/README.md): the
        // episodes above are the same, step for step, and the metrics agree to a relative 1e-6; on the processor that
        // wrote them they are equal bit for bit.
        List<double[]> updates = RowsAfter(name, "updates.csv", step);
        Assert.NotEmpty(updates);
        List<double[]> resumed = [.. recorder.Updates.Select(u => (double[])[u.GlobalStep, u.Update, .. u.Values[..^1]])];
        Assert.Equal(updates.Count, resumed.Count);
        for (int i = 0; i < updates.Count; i++)
        {
            double[] expected = updates[i][..(2 + metricCount - 1)];
            Assert.Equal(expected.Length, resumed[i].Length);
            for (int j = 0; j < expected.Length; j++)
            {
                double e = expected[j], a = resumed[i][j];
                bool close = (double.IsNaN(e) && double.IsNaN(a)) || Math.Abs(e - a) <= 1e-6 * Math.Max(1, Math.Abs(e));
                Assert.True(close, $"{name} update row {i}, column {j}: written {e.ToString("R", CultureInfo.InvariantCulture)}, resumed {a.ToString("R", CultureInfo.InvariantCulture)}");
            }
        }
    }

    [Fact]
    public void Ppo1CheckpointResumesAsWritten()
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
    public void Dqn1CheckpointResumesAsWritten()
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
