using RLRegularity.Agents.Common;
using RLRegularity.Agents.Ppo;
using RLRegularity.Envs.Core;

namespace RLRegularity.Agents.Tests.Ppo;

/// <summary>target_kl follows CleanRL's per-epoch rule: a whole epoch runs, then the remaining epochs are skipped.</summary>
public sealed class TargetKlTests
{
    private sealed class Recorder : ITrainingObserver
    {
        public List<UpdateRecord> Updates { get; } = [];
        public void OnEpisode(EpisodeRecord episode) { }
        public void OnUpdate(UpdateRecord update) => Updates.Add(update);
    }

    private static readonly PpoConfig Small = PpoConfig.Classic with { NumEnvs = 2, NumSteps = 32, NumMinibatches = 4, UpdateEpochs = 4 };

    // Every metric of every update except sps (the last column, wall-clock dependent).
    private static List<double[]> Train(PpoConfig config)
    {
        TorchRuntime.Initialize(1);
        using var learner = new PpoLearner(config, new SyncVectorEnv(_ => EnvRegistry.Make("CartPole-v1"), config.NumEnvs), seed: 1, totalSteps: 256);
        var recorder = new Recorder();
        learner.LearnUntil(256, recorder, CancellationToken.None);
        Assert.Equal(4, recorder.Updates.Count);
        return [.. recorder.Updates.Select(u => u.Values[..^1])];
    }

    [Fact]
    public void ExceedingTargetKlStopsAfterTheWholeFirstEpoch()
    {
        // After an epoch's optimizer steps the last minibatch's approx_kl is positive, so target_kl = 0 stops every update
        // after its first epoch: the run equals one with a single epoch, in every metric and in the RNG draws that follow.
        // SB3's per-minibatch rule would instead stop inside the first epoch (its first minibatch has approx_kl 0, the second not).
        List<double[]> stopped = Train(Small with { TargetKl = 0 });
        List<double[]> oneEpoch = Train(Small with { UpdateEpochs = 1 });
        Assert.Equal(oneEpoch, stopped);
        Assert.All(stopped, row => Assert.True(row[3] > 0, "approx_kl is positive"));
        Assert.NotEqual(Train(Small), stopped);
    }

    [Fact]
    public void TargetKlNeverReachedChangesNothing() => Assert.Equal(Train(Small), Train(Small with { TargetKl = 100 }));
}
