using System.Text.Json.Nodes;
using RLRegularity.Agents.Common;
using RLRegularity.Records;
using static TorchSharp.torch;

namespace RLRegularity.Agents.Tests.Common;

/// <summary>
/// The plasticity diagnostics: each metric from a torch matrix against hand-computed values, diagnostics.csv of a tiny
/// PPO and DQN run, an interrupted and resumed run writing the same file byte for byte, and training left exactly as it
/// is without diagnostics (episodes, updates, RN state and weights).
/// </summary>
public sealed class PlasticityDiagnosticsTests : IDisposable
{
    private readonly string _root = Directory.CreateTempSubdirectory("rlreg-diagnostics").FullName;

    public void Dispose() => Directory.Delete(_root, recursive: true);

    private static LayerDiagnostics Measure(float[,] h, double[]? weights = null, double[]? initial = null)
    {
        using var scope = NewDisposeScope();
        return PlasticityDiagnostics.Layer("net", "fc1", tensor(h), weights ?? [1], initial ?? [1], 0);
    }

    [Fact]
    public void IdentityActivationsHaveFullRankAndNoDormantUnit()
    {
        var identity = new float[5, 5];
        for (int i = 0; i < 5; i++) identity[i, i] = 1;
        LayerDiagnostics d = Measure(identity);
        Assert.Equal(5, d.EffectiveRank, 5);
        Assert.Equal(5, d.Srank99); // 4 of 5 equal values hold 80% < 99%
        Assert.Equal(0, d.DormantFractionTau01);
        Assert.Equal(5, d.Units);
    }

    [Fact]
    public void RankOneActivationsHaveEffectiveRankOneAndSrankOne()
    {
        // u vᵀ with u = (1, 2, 3), v = (1, −1, 0.5, 2).
        float[] u = [1, 2, 3], v = [1, -1, 0.5f, 2];
        var h = new float[3, 4];
        for (int i = 0; i < 3; i++) for (int j = 0; j < 4; j++) h[i, j] = u[i] * v[j];
        LayerDiagnostics d = Measure(h);
        Assert.Equal(1, d.EffectiveRank, 4);
        Assert.Equal(1, d.Srank99);
        // Unit scores |v_j| / mean|v| = (1, 1, 0.5, 2) / 1.125: none below 0.1.
        Assert.Equal(0, d.DormantFractionTau01);
    }

    [Fact]
    public void AZeroedUnitIsOneDormantUnitOfFourAndWeightsAreMeasured()
    {
        var h = new float[,] { { 1, 2, 0, 3 }, { 2, 1, 0, 1 }, { 0.5f, 1, 0, 2 } };
        LayerDiagnostics d = Measure(h, weights: [3, -4], initial: [1, -4]);
        Assert.Equal(0.25, d.DormantFractionTau0);
        Assert.Equal(0.25, d.DormantFractionTau0025);
        Assert.Equal(Math.Sqrt(12.5), d.WeightRms, 12);
        Assert.Equal(Math.Sqrt(2), d.WeightDistanceFromInitRms, 12);
        Assert.InRange(d.EffectiveRank, 1, 3);
    }

    // PPO on CartPole in 64-step rollouts of 4 copies (256 steps per update), diagnostics every 2 updates.
    private static RunSettings Ppo(long steps) => new("ppo", "CartPole-v1", 3, steps, "classic", 1, 1024, 1);

    private static JsonObject PpoConfig(int every, string norm = "none") =>
        AgentFactory.Resolve("ppo", "classic", null, ["num_steps=64", $"diagnostics_every={every}", $"normalizer={norm}"]);

    private string Train(string name, RunSettings settings, JsonObject config)
    {
        string folder = Path.Combine(_root, name);
        using var run = TrainingRun.Create(folder, settings, config);
        Assert.Equal(RunOutcome.Completed, run.Run(CancellationToken.None));
        return folder;
    }

    [Fact]
    public void PpoRunWritesDiagnosticsOfEveryHiddenLayerOfActorAndCritic()
    {
        string folder = Train("ppo", Ppo(1024), PpoConfig(2));
        string path = Path.Combine(folder, RunFolder.DiagnosticsFile);
        Assert.Equal(string.Join(',', CsvSchema<DiagnosticsRow>.Columns), File.ReadLines(path).First());
        List<DiagnosticsRow> rows = CsvSchema<DiagnosticsRow>.ReadAll(path);
        // Updates 2 and 4 × (actor, critic) × (fc1, fc2).
        Assert.Equal([2, 2, 2, 2, 4, 4, 4, 4], rows.Select(r => r.Update));
        Assert.Equal(["actor.fc1", "actor.fc2", "critic.fc1", "critic.fc2"], rows.Take(4).Select(r => $"{r.Network}.{r.Layer}"));
        Assert.Equal(512, rows[0].GlobalStep);
        foreach (DiagnosticsRow r in rows)
        {
            Assert.Equal(64, r.Units);
            Assert.InRange(r.DormantFractionTau_0, 0, 1);
            Assert.True(r.DormantFractionTau_0 <= r.DormantFractionTau_0_025 && r.DormantFractionTau_0_025 <= r.DormantFractionTau_0_1);
            // Tanh features of 256 CartPole states: neither collapsed nor beyond the width.
            Assert.InRange(r.EffectiveRank, 1.5, 64);
            Assert.InRange(r.Srank_99, 2, 64);
            Assert.InRange(r.WeightRms, 0.01, 1);
            // Adam at 2.5e-4 for a few dozen steps moves the weights a little.
            Assert.InRange(r.WeightDistanceFromInitRms, 1e-6, 0.05);
            Assert.True(r.GradNorm > 0 && double.IsFinite(r.GradNorm), $"grad_norm {r.GradNorm}");
        }
        Assert.True(rows[4].WeightDistanceFromInitRms > rows[0].WeightDistanceFromInitRms);
    }

    [Fact]
    public void InterruptedAndResumedRunWritesTheSameDiagnosticsByteForByte()
    {
        RunSettings settings = Ppo(3072);
        string whole = Train("whole", settings, PpoConfig(2));
        string split = Path.Combine(_root, "split");
        using (var run = TrainingRun.Create(split, settings, PpoConfig(2)))
        {
            using var stop = new CancellationTokenSource();
            run.ProgressInterval = TimeSpan.Zero;
            run.Progress = p => { if (p.Step >= 2500) stop.Cancel(); };
            Assert.Equal(RunOutcome.Interrupted, run.Run(stop.Token));
        }
        using (var run = TrainingRun.Resume(split, new ResumeOptions()))
        {
            Assert.Equal(RunOutcome.Completed, run.Run(CancellationToken.None));
        }
        byte[] expected = File.ReadAllBytes(Path.Combine(whole, RunFolder.DiagnosticsFile));
        Assert.Equal(12 / 2 * 4 + 1, File.ReadAllLines(Path.Combine(whole, RunFolder.DiagnosticsFile)).Length);
        Assert.Equal(expected, File.ReadAllBytes(Path.Combine(split, RunFolder.DiagnosticsFile)));
    }

    [Fact]
    public void DiagnosticsLeaveTrainingAndRnStateUnchanged()
    {
        // RN's eval calls count calls and change its buffers; the diagnostics forward must run on a copy.
        string on = Train("rn-on", Ppo(1024), PpoConfig(1, "rn")), off = Train("rn-off", Ppo(1024), PpoConfig(0, "rn"));
        Assert.True(File.Exists(Path.Combine(on, RunFolder.DiagnosticsFile)));
        Assert.False(File.Exists(Path.Combine(off, RunFolder.DiagnosticsFile)));
        Assert.Equal(Columns(Path.Combine(off, "episodes.csv"), 4), Columns(Path.Combine(on, "episodes.csv"), 4));
        Assert.Equal(Columns(Path.Combine(off, "updates.csv"), 11), Columns(Path.Combine(on, "updates.csv"), 11));
        Assert.Equal(File.ReadAllText(Path.Combine(off, "regularity.csv")), File.ReadAllText(Path.Combine(on, "regularity.csv")));
        foreach (string weights in new[] { "actor.weights", "critic.weights", "adam.state", "learner.state" })
            Assert.Equal(File.ReadAllBytes(Path.Combine(off, "checkpoints", "final", weights)), File.ReadAllBytes(Path.Combine(on, "checkpoints", "final", weights)));
    }

    [Fact]
    public void DqnRunWritesDiagnosticsOfTheOnlineNetwork()
    {
        var settings = new RunSettings("dqn", "CartPole-v1", 2, 1000, "tuned", 1, 1000, 1);
        JsonObject config = AgentFactory.Resolve("dqn", "tuned", null, ["learning_starts=200", "diagnostics_every=50", "normalizer=ln"]);
        string folder = Train("dqn", settings, config);
        List<DiagnosticsRow> rows = CsvSchema<DiagnosticsRow>.ReadAll(Path.Combine(folder, RunFolder.DiagnosticsFile));
        // (1000 − 200) / train_frequency 10 = 80 learning steps: diagnostics at 50, for fc1 (120 units) and fc2 (84).
        Assert.Equal(["online.fc1", "online.fc2"], rows.Select(r => $"{r.Network}.{r.Layer}"));
        Assert.Equal([120, 84], rows.Select(r => r.Units));
        Assert.All(rows, r => Assert.True(r.EffectiveRank > 1 && r.WeightDistanceFromInitRms > 0 && r.GradNorm > 0));
    }

    private sealed class NoObserver : ITrainingObserver
    {
        public void OnEpisode(EpisodeRecord episode) { }
        public void OnUpdate(UpdateRecord update) { }
    }

    [Theory]
    [InlineData("ppo", "minigrid", "MiniGrid-Empty-5x5-v0", "actor.fc1,critic.fc1", 2048)]
    [InlineData("dqn", "tuned", "MiniGrid-DoorKey-5x5-v0", "online.fc1,online.fc2", 400)]
    public void OnMiniGridTheHeadsAreMeasuredOnTheGridEncodersFeatures(string agent, string preset, string env, string layers, long steps)
    {
        TorchRuntime.Initialize(1);
        JsonObject config = AgentFactory.Resolve(agent, preset, null, agent == "dqn" ? ["learning_starts=150"] : []);
        using ILearner learner = AgentFactory.Create(agent, env, config, 1, steps);
        learner.LearnUntil(steps, new NoObserver(), CancellationToken.None);
        IReadOnlyList<LayerDiagnostics> rows = learner.Diagnostics();
        Assert.Equal(layers.Split(','), rows.Select(r => $"{r.Network}.{r.Layer}"));
        Assert.All(rows, r => Assert.True(r.EffectiveRank >= 1 && r.WeightDistanceFromInitRms > 0 && r.GradNorm > 0, r.ToString()));
    }

    private static string Columns(string path, int columns) =>
        string.Join('\n', File.ReadLines(path).Select(l => string.Join(',', l.Split(',').Take(columns))));
}
