using RLRegularity.Envs.Core;

namespace RLRegularity.Envs.Tests.Core;

public sealed class SyncVectorEnvTests
{
    [Fact]
    public void CopiesAreSeededSeedPlusIndex()
    {
        using var vec = new SyncVectorEnv(_ => EnvRegistry.Make("CartPole-v1"), 3);
        vec.Reset(seed: 10);
        for (int i = 0; i < 3; i++)
        {
            using IEnv single = EnvRegistry.Make("CartPole-v1");
            Assert.Equal(single.Reset(10 + i).Observation, vec.Observation(i).ToArray());
        }
    }

    [Fact]
    public void AutoresetKeepsTheFinalObservationAndMatchesSingleEnvs()
    {
        const int N = 2;
        using var vec = new SyncVectorEnv(_ => new RecordEpisodeStatistics(EnvRegistry.Make("CartPole-v1")), N);
        var singles = Enumerable.Range(0, N).Select(_ => new RecordEpisodeStatistics(EnvRegistry.Make("CartPole-v1"))).ToArray();
        vec.Reset(seed: 0);
        for (int i = 0; i < N; i++) singles[i].Reset(i);
        var rng = new Rng(4);
        var actions = new int[N];
        int finished = 0;
        for (int t = 0; t < 300; t++)
        {
            for (int i = 0; i < N; i++) actions[i] = rng.NextInt(2);
            vec.Step(actions);
            for (int i = 0; i < N; i++)
            {
                StepResult r = singles[i].Step(actions[i]);
                Assert.Equal(r.Reward, vec.Rewards[i]);
                Assert.Equal(r.Terminated, vec.Terminated[i]);
                Assert.Equal(vec.HasFinalObservation[i], r.Done);
                if (r.Done)
                {
                    finished++;
                    Assert.Equal(r.Observation, vec.FinalObservations.AsSpan(i * 4, 4).ToArray());
                    Assert.Equal(r.Info.Episode!.Value.Return, vec.Infos[i].Episode!.Value.Return);
                    Assert.Equal(r.Info.Episode.Value.Length, vec.Infos[i].Episode!.Value.Length);
                    Assert.Equal(singles[i].Reset().Observation, vec.Observation(i).ToArray());
                }
                else
                {
                    Assert.Equal(r.Observation, vec.Observation(i).ToArray());
                }
            }
        }
        Assert.True(finished >= 10);
        foreach (var s in singles) s.Dispose();
    }

    [Fact]
    public void StepDoesNotAllocate()
    {
        using var vec = new SyncVectorEnv(_ => new RecordEpisodeStatistics(EnvRegistry.Make("CartPole-v1")), 4);
        vec.Reset(seed: 1);
        var actions = new int[4];
        var rng = new Rng(0);
        for (int t = 0; t < 500; t++)
        {
            for (int i = 0; i < 4; i++) actions[i] = rng.NextInt(2);
            vec.Step(actions);
        }
        long before = GC.GetAllocatedBytesForCurrentThread();
        for (int t = 0; t < 10_000; t++)
        {
            for (int i = 0; i < 4; i++) actions[i] = rng.NextInt(2);
            vec.Step(actions);
        }
        Assert.Equal(0, GC.GetAllocatedBytesForCurrentThread() - before);
    }

    [Fact]
    public void RecordEpisodeStatisticsWrapsEachCopyOnceAndReportsFinishedEpisodes()
    {
        using var vec = new SyncVectorEnv(_ => EnvRegistry.Make("CartPole-v1", maxEpisodeSteps: 5), 2);
        vec.RecordEpisodeStatistics();
        vec.RecordEpisodeStatistics();
        Assert.All(vec.Envs, e => Assert.IsType<RecordEpisodeStatistics>(e));
        Assert.All(vec.Envs, e => Assert.IsNotType<RecordEpisodeStatistics>(((RecordEpisodeStatistics)e).Inner));
        vec.Reset(seed: 1);
        double[] returns = new double[2];
        for (int t = 1; t <= 5; t++)
        {
            vec.Step([0, 1]);
            for (int i = 0; i < 2; i++)
            {
                returns[i] += vec.Rewards[i];
                bool done = vec.Terminated[i] || vec.Truncated[i];
                Assert.Equal(done, vec.Infos[i].Episode.HasValue);
                // The time limit sits inside the wrapper, so a truncated episode is reported too.
                if (done)
                {
                    Assert.Equal(returns[i], vec.Infos[i].Episode!.Value.Return);
                    Assert.Equal(t, vec.Infos[i].Episode!.Value.Length);
                    returns[i] = double.NaN;
                }
            }
        }
        Assert.True(vec.Truncated.Any(x => x) || vec.Terminated.Any(x => x));
    }

    [Fact]
    public void MismatchedSpacesAndActionCountsAreRejected()
    {
        Assert.Throws<ArgumentException>(() => new SyncVectorEnv([EnvRegistry.Make("CartPole-v1"), EnvRegistry.Make("Acrobot-v1")]));
        using var vec = new SyncVectorEnv(_ => EnvRegistry.Make("CartPole-v1"), 2);
        vec.Reset(seed: 0);
        Assert.Throws<ArgumentException>(() => vec.Step([0]));
    }
}
