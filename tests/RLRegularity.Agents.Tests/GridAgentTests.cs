using System.Diagnostics;
using System.Text.Json.Nodes;
using RLRegularity.Agents.Common;
using RLRegularity.Agents.Dqn;
using RLRegularity.Agents.Ppo;
using RLRegularity.Envs.Core;
using RLRegularity.Networks;
using Xunit.Abstractions;

namespace RLRegularity.Agents.Tests;

/// <summary>PPO and DQN on MiniGrid images: the grid encoder is picked, and PPO's minigrid preset learns.</summary>
public sealed class GridAgentTests(ITestOutputHelper output)
{
    private sealed class Recorder : ITrainingObserver
    {
        public List<EpisodeRecord> Episodes { get; } = [];
        public List<UpdateRecord> Updates { get; } = [];
        public void OnEpisode(EpisodeRecord episode) => Episodes.Add(episode);
        public void OnUpdate(UpdateRecord update) => Updates.Add(update);
    }

    private static SyncVectorEnv Copies(string id, int n) => new(_ => EnvRegistry.Make(id), n);

    [Fact]
    public void PpoUsesTheGridEncoderOnMiniGridImagesOnly()
    {
        TorchRuntime.Initialize(1);
        var config = PpoConfig.MiniGrid with { NumEnvs = 2, NumSteps = 8, NumMinibatches = 2 };
        using (var grid = new PpoLearner(config, Copies("MiniGrid-Empty-5x5-v0", 2), seed: 1, totalSteps: 16))
            Assert.Equal(ObservationEncoder.Grid, grid.Encoder);
        using (var flat = new PpoLearner(config, Copies("CartPole-v1", 2), seed: 1, totalSteps: 16))
            Assert.Equal(ObservationEncoder.Mlp, flat.Encoder);
        using (var forced = new PpoLearner(config with { Encoder = ObservationEncoder.Mlp }, Copies("MiniGrid-Empty-5x5-v0", 2), seed: 1, totalSteps: 16))
            Assert.Equal(ObservationEncoder.Mlp, forced.Encoder);
        var e = Assert.Throws<ArgumentException>(() => new PpoLearner(config with { Encoder = ObservationEncoder.Grid }, Copies("CartPole-v1", 2), seed: 1, totalSteps: 16));
        Assert.Contains("encoder=grid", e.Message);
    }

    [Fact]
    public void PpoMiniGridPresetSolvesEmpty5x5()
    {
        TorchRuntime.Initialize(1);
        const long Frames = 40_960;
        using var learner = new PpoLearner(PpoConfig.MiniGrid, Copies("MiniGrid-Empty-5x5-v0", PpoConfig.MiniGrid.NumEnvs), seed: 1, totalSteps: Frames);
        var recorder = new Recorder();
        var clock = Stopwatch.StartNew();
        learner.LearnUntil(Frames, recorder, CancellationToken.None);
        double last20 = recorder.Episodes.TakeLast(20).Average(e => e.Return);
        output.WriteLine($"{recorder.Episodes.Count} episodes, last 20-episode mean return {last20:F3}, {learner.GlobalStep / clock.Elapsed.TotalSeconds:F0} frames/s");
        // A random policy scores about 0.1 here; the optimum is 0.955 (4 steps of a 100-step limit).
        Assert.True(last20 >= 0.8, $"PPO minigrid's last 20-episode mean return on Empty-5x5 after {learner.GlobalStep} frames was {last20:F3}");
    }

    [Fact]
    public void DqnRunsUpdatesThroughTheGridEncoder()
    {
        TorchRuntime.Initialize(1);
        var config = DqnConfig.Tuned with { BufferSize = 1_000, BatchSize = 32, LearningStarts = 200, TrainFrequency = 4 };
        using var learner = new DqnLearner(config, EnvRegistry.Make("MiniGrid-DoorKey-5x5-v0"), seed: 1, totalSteps: 1_000);
        Assert.IsType<EncodedMlp>(learner.QNetworks.Online);
        var recorder = new Recorder();
        learner.LearnUntil(600, recorder, CancellationToken.None);
        Assert.Equal(100, learner.Updates);
        Assert.All(recorder.Updates, u => Assert.True(double.IsFinite(u.Values[0]), "the TD loss is finite"));
        int action = learner.Policy.Act(new float[7 * 7 * 3], deterministic: true);
        Assert.InRange(action, 0, 6);
    }
}
