using System.Diagnostics;
using RLRegularity.Agents.Common;
using RLRegularity.Agents.Dqn;
using RLRegularity.Agents.Ppo;
using RLRegularity.Envs.Core;
using Xunit.Abstractions;

namespace RLRegularity.Agents.Tests;

/// <summary>Agents learn: fixed seeds, thresholds a broken agent misses.</summary>
public sealed class TrainingTests(ITestOutputHelper output)
{
    private sealed class Recorder : ITrainingObserver
    {
        public List<EpisodeRecord> Episodes { get; } = [];
        public List<UpdateRecord> Updates { get; } = [];
        public void OnEpisode(EpisodeRecord episode) => Episodes.Add(episode);
        public void OnUpdate(UpdateRecord update) => Updates.Add(update);
        public double MeanOfLast(int n) => Episodes.TakeLast(n).Average(e => e.Return);
    }

    private static SyncVectorEnv CartPoles(int n) => new(_ => EnvRegistry.Make("CartPole-v1"), n);

    [Fact]
    public void PpoSolvesCartPoleQuickly()
    {
        TorchRuntime.Initialize(1);
        const long Steps = 50_000;
        using var learner = new PpoLearner(PpoConfig.Classic, CartPoles(4), seed: 1, totalSteps: Steps);
        var recorder = new Recorder();
        var clock = Stopwatch.StartNew();
        learner.LearnUntil(Steps, recorder, CancellationToken.None);
        double best = Enumerable.Range(20, Math.Max(0, recorder.Episodes.Count - 19)).Select(i => recorder.Episodes.Skip(i - 20).Take(20).Average(e => e.Return)).DefaultIfEmpty(0).Max();
        output.WriteLine($"{recorder.Episodes.Count} episodes, best 20-episode mean {best:F1}, last {recorder.MeanOfLast(20):F1}, {Steps / clock.Elapsed.TotalSeconds:F0} steps/s");
        Assert.True(best >= 200, $"PPO's best 20-episode mean return within {Steps} steps was {best:F1}; a working PPO reaches 200");
    }

    [Fact]
    public void DqnLearnsCartPole()
    {
        TorchRuntime.Initialize(1);
        const long Steps = 60_000;
        var config = DqnConfig.Tuned with { LearningStarts = 5_000, ExplorationFraction = 0.3 };
        using var learner = new DqnLearner(config, EnvRegistry.Make("CartPole-v1"), seed: 1, totalSteps: Steps);
        var recorder = new Recorder();
        var clock = Stopwatch.StartNew();
        learner.LearnUntil(Steps, recorder, CancellationToken.None);
        double best = Enumerable.Range(20, Math.Max(0, recorder.Episodes.Count - 19)).Select(i => recorder.Episodes.Skip(i - 20).Take(20).Average(e => e.Return)).DefaultIfEmpty(0).Max();
        output.WriteLine($"{recorder.Episodes.Count} episodes, best 20-episode mean {best:F1}, {Steps / clock.Elapsed.TotalSeconds:F0} steps/s");
        Assert.True(best >= 150, $"DQN's best 20-episode mean return within {Steps} steps was {best:F1}");
    }
}
