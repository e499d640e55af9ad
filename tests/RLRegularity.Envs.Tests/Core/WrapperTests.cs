using RLRegularity.Envs.ClassicControl;
using RLRegularity.Envs.Core;

namespace RLRegularity.Envs.Tests.Core;

public sealed class WrapperTests
{
    [Fact]
    public void SameSeedGivesTheSameEpisode()
    {
        static List<float> Episode(long seed)
        {
            using IEnv env = EnvRegistry.Make("CartPole-v1");
            var trace = new List<float>(env.Reset(seed).Observation);
            var actions = new Rng(seed, 1);
            while (true)
            {
                StepResult r = env.Step(actions.NextInt(2));
                trace.AddRange(r.Observation);
                if (r.Done) return trace;
            }
        }
        Assert.Equal(Episode(7), Episode(7));
        Assert.NotEqual(Episode(7), Episode(8));
    }

    [Fact]
    public void UnseededResetContinuesTheStream()
    {
        using var env = new CartPoleEnv();
        float first = env.Reset(seed: 3).Observation[0];
        float second = env.Reset().Observation[0];
        Assert.NotEqual(first, second);
        Assert.Equal(first, env.Reset(seed: 3).Observation[0]);
    }

    [Fact]
    public void TimeLimitTruncatesAtTheLimit()
    {
        using var env = new TimeLimit(new AcrobotEnv(), 5);
        env.Reset(seed: 0);
        for (int i = 1; i <= 4; i++) Assert.False(env.Step(1).Truncated);
        StepResult last = env.Step(1);
        Assert.True(last.Truncated);
        Assert.False(last.Terminated);
        env.Reset();
        Assert.Equal(0, env.ElapsedSteps);
    }

    [Fact]
    public void RegisteredCartPoleTruncatesAt500()
    {
        using IEnv env = EnvRegistry.Make("CartPole-v1");
        env.Reset(seed: 0);
        int steps = 0;
        StepResult r;
        do
        {
            env.Find<IPhysicalStateEnv>()!.SetState([0, 0, 0, 0]); // keep the pole upright forever
            r = env.Step(steps % 2);
            steps++;
        } while (!r.Done);
        Assert.Equal(500, steps);
        Assert.True(r.Truncated);
        Assert.False(r.Terminated);
    }

    [Fact]
    public void EpisodeStatisticsAreReportedOnTheLastStepOnly()
    {
        using var env = new RecordEpisodeStatistics(EnvRegistry.Make("Acrobot-v1", maxEpisodeSteps: 10));
        env.Reset(seed: 0);
        for (int i = 0; i < 9; i++) Assert.Null(env.Step(0).Info.Episode);
        StepResult last = env.Step(0);
        Assert.NotNull(last.Info.Episode);
        Assert.Equal(10, last.Info.Episode!.Value.Length);
        Assert.Equal(-10.0, last.Info.Episode.Value.Return);
        Assert.Single(env.RecentEpisodes);
    }

    [Fact]
    public void ContinuedEpisodeAddsToTheGivenReturnAndLength()
    {
        // As when a checkpoint from before the wrapper was in the chain restores the totals its learner had kept.
        using var env = new RecordEpisodeStatistics(EnvRegistry.Make("Acrobot-v1", maxEpisodeSteps: 10));
        env.Reset(seed: 0);
        for (int i = 0; i < 4; i++) env.Step(0);
        env.ContinueEpisode(returnSoFar: -2, lengthSoFar: 2);
        for (int i = 0; i < 5; i++) Assert.Null(env.Step(0).Info.Episode);
        StepResult last = env.Step(0);
        Assert.Equal(8, last.Info.Episode!.Value.Length);
        Assert.Equal(-8.0, last.Info.Episode.Value.Return);
        Assert.Throws<ArgumentOutOfRangeException>(() => env.ContinueEpisode(0, -1));
    }

    [Fact]
    public void ObservationNormalizationStandardizesAndFreezes()
    {
        using var env = new NormalizeObservation(EnvRegistry.Make("CartPole-v1"));
        var rng = new Rng(0);
        var values = new List<float[]>();
        env.Reset(seed: 0);
        for (int i = 0; i < 20_000; i++)
        {
            StepResult r = env.Step(rng.NextInt(2));
            values.Add((float[])r.Observation.Clone());
            if (r.Done) env.Reset();
        }
        for (int k = 0; k < 4; k++)
        {
            var column = values.Skip(10_000).Select(v => (double)v[k]).ToArray();
            double mean = column.Average();
            double std = Math.Sqrt(column.Average(x => (x - mean) * (x - mean)));
            Assert.InRange(mean, -0.2, 0.2);
            Assert.InRange(std, 0.8, 1.2);
        }
        env.Frozen = true;
        double count = env.Statistics.Count;
        double[] mean0 = (double[])env.Statistics.Mean.Clone();
        for (int i = 0; i < 100; i++)
        {
            if (env.Step(0).Done) env.Reset();
        }
        Assert.Equal(count, env.Statistics.Count);
        Assert.Equal(mean0, env.Statistics.Mean);
    }

    [Fact]
    public void RewardScalingAndNormalization()
    {
        using var scaled = new ScaleReward(EnvRegistry.Make("CartPole-v1"), 0.1);
        scaled.Reset(seed: 0);
        Assert.Equal(0.1, scaled.Step(0).Reward, 12);

        // Constant rewards of 1: the discounted return grows 1, 1.99, 2.97...; the first normalized reward is 1/sqrt(var + eps).
        using var normalized = new NormalizeReward(EnvRegistry.Make("CartPole-v1"), gamma: 0.99);
        normalized.Reset(seed: 0);
        double first = normalized.Step(0).Reward;
        var stats = new RunningMeanStd(1);
        stats.Update(1.0);
        Assert.Equal(1.0 / Math.Sqrt(stats.Variance[0] + 1e-8), first, 12);
    }

    [Fact]
    public void RunningMeanStdMatchesDirectComputation()
    {
        var stats = new RunningMeanStd(2, initialCount: 0);
        float[][] xs = [[1, 10], [2, 20], [4, 40], [8, 80]];
        // With a zero initial count the first update replaces the prior (mean 0, var 1) entirely.
        foreach (float[] x in xs) stats.Update(x);
        Assert.Equal(3.75, stats.Mean[0], 12);
        Assert.Equal(xs.Average(x => (x[0] - 3.75) * (x[0] - 3.75)), stats.Variance[0], 10);
        Assert.Equal(37.5, stats.Mean[1], 10);
    }

    [Fact]
    public void RegistryListsKnownIdsForAnUnknownOne()
    {
        var e = Assert.Throws<UnknownEnvironmentException>(() => EnvRegistry.Make("CartPole-v0"));
        Assert.Contains("CartPole-v1", e.Message);
        Assert.Contains("Acrobot-v1", e.Message);
        Assert.Contains("CartPole-v0", e.Message);
    }

    [Fact]
    public void StepsDoNotAllocate()
    {
        foreach (string id in new[] { "CartPole-v1", "Acrobot-v1" })
        {
            using IEnv env = new RecordEpisodeStatistics(EnvRegistry.Make(id));
            var rng = new Rng(0);
            env.Reset(seed: 0);
            for (int i = 0; i < 1000; i++) // warm up (JIT, first episodes)
            {
                if (env.Step(rng.NextInt(env.ActionSpace.N)).Done) env.Reset();
            }
            long before = GC.GetAllocatedBytesForCurrentThread();
            for (int i = 0; i < 20_000; i++)
            {
                if (env.Step(rng.NextInt(env.ActionSpace.N)).Done) env.Reset();
            }
            Assert.Equal(0, GC.GetAllocatedBytesForCurrentThread() - before);
        }
    }
}
