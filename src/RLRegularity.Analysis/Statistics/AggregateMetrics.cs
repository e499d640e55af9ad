namespace RLRegularity.Statistics;

/// <summary>
/// rliable's aggregates of normalized scores over several tasks, indexed [task][run] (Agarwal et al., NeurIPS 2021):
/// the interquartile mean of all runs, the mean and median of the per-task mean scores, the optimality gap, and the
/// performance profile (the fraction of runs above each threshold). Each has a 95% stratified bootstrap interval, tasks
/// being the strata.
/// </summary>
public static class AggregateMetrics
{
    /// <summary>The IQM of every run of every task pooled.</summary>
    public static double Iqm(double[][] scores) => RobustStatistics.InterquartileMean(StratifiedBootstrap.Flatten(scores));

    /// <summary>The mean over tasks of each task's mean score.</summary>
    public static double Mean(double[][] scores) => RobustStatistics.Mean([.. scores.Select(t => RobustStatistics.Mean(t))]);

    /// <summary>The median over tasks of each task's mean score (rliable's median).</summary>
    public static double Median(double[][] scores) => RobustStatistics.Percentile([.. scores.Select(t => RobustStatistics.Mean(t))], 50);

    /// <summary>How far the runs fall short of <paramref name="target"/> on average: mean of max(0, target − score) over
    /// every run (scores above the target count as reaching it, not beyond).</summary>
    public static double OptimalityGap(double[][] scores, double target = 1) =>
        RobustStatistics.Mean([.. StratifiedBootstrap.Flatten(scores).Select(s => Math.Max(0, target - s))]);

    /// <summary>The fraction of runs scoring above <paramref name="tau"/>, per task, averaged over tasks (so every task
    /// weighs the same however many runs it has).</summary>
    public static double FractionAbove(double[][] scores, double tau) =>
        RobustStatistics.Mean([.. scores.Select(t => t.Count(s => s > tau) / (double)t.Length)]);

    /// <summary>The named aggregates, in the order rliable draws them.</summary>
    public static IReadOnlyList<(string Name, Func<double[][], double> Aggregate)> All { get; } =
    [
        ("IQM", Iqm), ("Median", Median), ("Mean", Mean), ("Optimality gap", s => OptimalityGap(s)),
    ];

    /// <summary>The performance profile at each of <paramref name="taus"/> with its stratified bootstrap interval.</summary>
    public static ConfidenceInterval[] Profile(double[][] scores, IReadOnlyList<double> taus, long seed, int replicates = StratifiedBootstrap.DefaultReplicates) =>
        [.. taus.Select(tau => StratifiedBootstrap.Interval(scores, s => FractionAbove(s, tau), seed, replicates))];
}
