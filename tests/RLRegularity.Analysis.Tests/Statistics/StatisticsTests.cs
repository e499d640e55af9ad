using RLRegularity.Envs.Core;
using RLRegularity.Statistics;

namespace RLRegularity.Analysis.Tests.Statistics;

public sealed class RobustStatisticsTests
{
    [Fact]
    public void InterquartileMeanDropsTheOuterQuarters()
    {
        Assert.Equal(4.5, RobustStatistics.InterquartileMean([8, 1, 7, 2, 6, 3, 5, 4])); // middle of 1..8: 3,4,5,6
        Assert.Equal(3.0, RobustStatistics.InterquartileMean([1, 2, 3, 4, 100]));       // ⌊1.25⌋ = 1 cut each side
        Assert.Equal(7.0, RobustStatistics.InterquartileMean([7]));
    }

    [Fact]
    public void PercentileInterpolatesLinearlyAsNumpy()
    {
        Assert.Equal(1.75, RobustStatistics.Percentile([4, 3, 2, 1], 25));
        Assert.Equal(2.5, RobustStatistics.Percentile([1, 2, 3, 4], 50));
        Assert.Equal(4.0, RobustStatistics.Percentile([1, 2, 3, 4], 100));
        Assert.Throws<ArgumentException>(() => RobustStatistics.Mean([]));
    }
}

public sealed class BootstrapTests
{
    private static double Iqm(double[][] s) => RobustStatistics.InterquartileMean(StratifiedBootstrap.Flatten(s));

    [Fact]
    public void ConstantScoresGiveADegenerateInterval()
    {
        var ci = StratifiedBootstrap.Interval([[3, 3, 3]], Iqm, seed: 0, replicates: 200);
        Assert.Equal(new ConfidenceInterval(3, 3, 3, 0.95), ci);
    }

    [Fact]
    public void SameSeedSameInterval_DifferentSeedClose()
    {
        double[][] scores = [[1, 5, 2, 8, 3, 9, 4]];
        var a = StratifiedBootstrap.Interval(scores, Iqm, seed: 7, replicates: 2000);
        var b = StratifiedBootstrap.Interval(scores, Iqm, seed: 7, replicates: 2000);
        var c = StratifiedBootstrap.Interval(scores, Iqm, seed: 8, replicates: 2000);
        Assert.Equal(a, b);
        Assert.True(a.Lower <= a.Estimate && a.Estimate <= a.Upper);
        Assert.InRange(Math.Abs(a.Lower - c.Lower), 0, 1.0);
    }

    [Fact]
    public void IntervalsNarrowWithMoreRuns()
    {
        var rng = new Rng(3);
        double[] Sample(int n) => [.. Enumerable.Range(0, n).Select(_ => rng.NextGaussian())];
        double Mean(double[][] s) => RobustStatistics.Mean(StratifiedBootstrap.Flatten(s));
        var small = StratifiedBootstrap.Interval([Sample(5)], Mean, 1, 2000);
        var large = StratifiedBootstrap.Interval([Sample(200)], Mean, 1, 2000);
        Assert.True(large.Upper - large.Lower < (small.Upper - small.Lower) / 3);
    }

    [Fact]
    public void MeanIntervalCoversTheTrueMeanAboutNinetyFivePercentOfTheTime()
    {
        var rng = new Rng(11);
        int covered = 0;
        const int Trials = 200;
        for (int trial = 0; trial < Trials; trial++)
        {
            double[] sample = [.. Enumerable.Range(0, 30).Select(_ => 2 + rng.NextGaussian())];
            var ci = StratifiedBootstrap.Interval([sample], s => RobustStatistics.Mean(s[0]), seed: trial, replicates: 500);
            if (ci.Contains(2)) covered++;
        }
        Assert.InRange(covered / (double)Trials, 0.88, 0.99);
    }

    [Fact]
    public void ResamplingStaysWithinEachTask()
    {
        // Task A's runs are all 0 and task B's all 10: any stratified resample has mean exactly 5.
        var ci = StratifiedBootstrap.Interval([[0, 0, 0], [10, 10, 10]], s => RobustStatistics.Mean(StratifiedBootstrap.Flatten(s)), seed: 2, replicates: 300);
        Assert.Equal(5, ci.Lower);
        Assert.Equal(5, ci.Upper);
    }

    [Fact]
    public void NonFiniteScoresAreRejectedWithTheirTask()
    {
        var e = Assert.Throws<ArgumentException>(() => StratifiedBootstrap.Interval([[1, double.NaN]], Iqm, 0));
        Assert.Contains("task 0", e.Message);
    }
}

public sealed class ProbabilityOfImprovementTests
{
    [Fact]
    public void HandComputedPairs()
    {
        Assert.Equal(0.5, ProbabilityOfImprovement.Estimate([[1, 2]], [[0, 3]]));
        Assert.Equal(0.75, ProbabilityOfImprovement.Estimate([[5, 5]], [[5, 1]]));       // (½ + 1 + ½ + 1)/4
        Assert.Equal((1.0 + 0.0) / 2, ProbabilityOfImprovement.Estimate([[9], [0]], [[1], [1]])); // averaged over tasks
    }

    [Fact]
    public void ComplementarityAndInterval()
    {
        double[][] x = [[3, 4, 5, 6, 7]], y = [[1, 2, 5, 6, 2]];
        Assert.Equal(1.0, ProbabilityOfImprovement.Estimate(x, y) + ProbabilityOfImprovement.Estimate(y, x), 12);
        var ci = ProbabilityOfImprovement.Interval(x, y, seed: 4, replicates: 2000);
        Assert.True(ci.Lower <= ci.Estimate && ci.Estimate <= ci.Upper);
        Assert.InRange(ci.Lower, 0, 1);
        Assert.InRange(ci.Upper, 0, 1);
        var dominant = ProbabilityOfImprovement.Interval([[10, 11, 12]], [[1, 2, 3]], seed: 1, replicates: 500);
        Assert.Equal(1.0, dominant.Lower);
    }
}

public sealed class LearningCurveMetricsTests
{
    [Fact]
    public void FinalPerformanceAveragesTheLastTenthOfSteps()
    {
        Assert.Equal(4.0, LearningCurveMetrics.FinalPerformance([10, 50, 95, 100], [1, 2, 3, 5], totalSteps: 100));
        Assert.True(double.IsNaN(LearningCurveMetrics.FinalPerformance([10], [1], totalSteps: 100)));
    }

    [Fact]
    public void FinalMovingAverageIsTheMeanOfTheLastWindowOfReturns()
    {
        double[] oneToHundred = [.. Enumerable.Range(1, 100).Select(i => (double)i)];
        Assert.Equal(75.5, LearningCurveMetrics.FinalMovingAverage(oneToHundred, 50)); // mean of 51..100
        Assert.Equal(100.0, LearningCurveMetrics.FinalMovingAverage(oneToHundred, 1));
        Assert.Equal(3.0, LearningCurveMetrics.FinalMovingAverage([2, 4], 50));       // fewer episodes than the window: all of them
        Assert.True(double.IsNaN(LearningCurveMetrics.FinalMovingAverage([], 50)));
        Assert.Throws<ArgumentOutOfRangeException>(() => LearningCurveMetrics.FinalMovingAverage([1], 0));
    }

    [Fact]
    public void CurveOnGridIsTheRollingMeanOfFinishedEpisodes()
    {
        double[] curve = LearningCurveMetrics.OnGrid([5, 15, 25, 26], [1, 3, 5, 7], [10, 20, 30], window: 2);
        Assert.Equal([1, 2, 6], curve);
        Assert.True(double.IsNaN(LearningCurveMetrics.OnGrid([5], [1], [1, 10], 2)[0]));
    }

    [Fact]
    public void NormalizedAreaOfConstantAndRamp()
    {
        Assert.Equal(3.0, LearningCurveMetrics.NormalizedArea([1, 2, 3], [3, 3, 3]));
        Assert.Equal(0.5, LearningCurveMetrics.NormalizedArea([1, 2, 3], [0, 0.5, 1]));
        Assert.Equal(2.0, LearningCurveMetrics.NormalizedArea([1, 2, 3], [double.NaN, 2, 2]));
    }

    [Fact]
    public void StepsToThresholdIsTheEndOfTheFirstEpisodeWhoseTwentyEpisodeMeanReachesIt()
    {
        // 20 episodes of return 10, then 30s: the 20-episode mean is 10 at episode 20 and gains 1 per later episode,
        // reaching 15 at the 25th (index 24), which ends at step 2500.
        double[] returns = [.. Enumerable.Repeat(10.0, 20), .. Enumerable.Repeat(30.0, 5)];
        long[] ends = [.. Enumerable.Range(1, 25).Select(i => 100L * i)];
        Assert.Equal(24, LearningCurveMetrics.EpisodeReachingThreshold(returns, 15));
        Assert.Equal(2500L, LearningCurveMetrics.StepsToThreshold(ends, returns, 15));
        Assert.Equal(15, LearningCurveMetrics.BestRollingMean(returns, LearningCurveMetrics.RollingWindow));
        Assert.Null(LearningCurveMetrics.StepsToThreshold(ends, returns, 15.5));
        // The window must be full: 19 high returns are not enough.
        Assert.Null(LearningCurveMetrics.StepsToThreshold([.. ends.Take(19)], [.. Enumerable.Repeat(100.0, 19)], 15));
        Assert.True(double.IsNaN(LearningCurveMetrics.BestRollingMean([1, 2], 20)));
    }

    [Fact]
    public void ChangeResponseOnAConstructedCurve()
    {
        // Level 100 until step 100; at 110 it falls to 20 and climbs 10 per grid point.
        long[] grid = [.. Enumerable.Range(1, 20).Select(i => 10L * i)];
        double[] curve = [.. grid.Select(g => g <= 100 ? 100.0 : 20 + (g - 110))];
        ChangeResponse r = LearningCurveMetrics.Change(grid, curve, changeStep: 100, window: 50);
        Assert.Equal(100, r.PreChange);
        Assert.Equal(80, r.Drop);
        Assert.Equal(80L, r.RecoverySteps); // 90 is reached at step 180

        // Negative returns: within 10% of −80 means ≥ −88.
        double[] negative = [.. grid.Select(g => g <= 100 ? -80.0 : -200 + (g - 110))];
        ChangeResponse n = LearningCurveMetrics.Change(grid, negative, 100, 50);
        Assert.Equal(-80, n.PreChange);
        Assert.Null(n.RecoverySteps);
    }

    [Fact]
    public void ARollingCurveThatFallsLateHasNotRecoveredBeforeItFell()
    {
        // A rolling mean lags: still at the old level 100 at steps 110 and 120, at its lowest (10) at 130, then back to
        // 95 from 170 on. Recovery is counted from the lowest point (170 − 100 = 70), not from step 110.
        long[] grid = [.. Enumerable.Range(1, 20).Select(i => 10L * i)];
        double[] curve = [.. grid.Select(g => g <= 120 ? 100.0 : g < 170 ? 10.0 + (g - 130) / 10.0 : 95.0)];
        ChangeResponse r = LearningCurveMetrics.Change(grid, curve, changeStep: 100, window: 50);
        Assert.Equal(90, r.Drop);
        Assert.Equal(70L, r.RecoverySteps);

        // A curve that never falls below 90% of its level recovers at its lowest point after the change.
        double[] steady = [.. grid.Select(g => g == 140 ? 92.0 : 100.0)];
        Assert.Equal(40L, LearningCurveMetrics.Change(grid, steady, 100, 50).RecoverySteps);
    }
}

/// <summary>rliable's aggregates over tasks, checked by hand.</summary>
public sealed class AggregateMetricsTests
{
    // Two tasks: four runs of the first, two of the second.
    private static readonly double[][] Scores = [[0.0, 0.5, 1.0, 1.5], [0.2, 0.4]];

    [Fact]
    public void AggregatesMatchHandComputedValues()
    {
        // Pooled: 0, 0.2, 0.4, 0.5, 1.0, 1.5; the IQM (scipy's trim_mean at 25%) drops ⌊1.5⌋ = 1 run at each end.
        Assert.Equal((0.2 + 0.4 + 0.5 + 1.0) / 4, AggregateMetrics.Iqm(Scores), 12);
        Assert.Equal((0.75 + 0.3) / 2, AggregateMetrics.Mean(Scores), 12);   // task means 0.75 and 0.3
        Assert.Equal((0.75 + 0.3) / 2, AggregateMetrics.Median(Scores), 12); // the median of two is their mean
        // Shortfalls below 1: 1, 0.5, 0, 0 | 0.8, 0.6 → 2.9 / 6.
        Assert.Equal(2.9 / 6, AggregateMetrics.OptimalityGap(Scores), 12);
        // Above 0.45: 3 of 4 and 0 of 2 → (0.75 + 0) / 2.
        Assert.Equal(0.375, AggregateMetrics.FractionAbove(Scores, 0.45), 12);
        Assert.Equal(1.0, AggregateMetrics.FractionAbove(Scores, -1), 12);
    }

    [Fact]
    public void ProfileIntervalsContainTheirEstimatesAndFallWithTau()
    {
        ConfidenceInterval[] profile = AggregateMetrics.Profile(Scores, [0.1, 0.45, 2.0], seed: 3, replicates: 500);
        Assert.Equal([0.75 * 0.5 + 0.5, 0.375, 0.0], profile.Select(p => p.Estimate));
        Assert.All(profile, p => Assert.InRange(p.Estimate, p.Lower, p.Upper));
        Assert.True(profile[0].Estimate >= profile[1].Estimate && profile[1].Estimate >= profile[2].Estimate);
    }
}
