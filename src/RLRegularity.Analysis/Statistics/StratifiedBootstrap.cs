using RLRegularity.Envs.Core;

namespace RLRegularity.Statistics;

/// <summary>
/// rliable's stratified bootstrap: each replicate resamples the runs of every task (stratum) with replacement,
/// independently per task, and recomputes the aggregate; the interval is the percentile interval of the replicates.
/// Scores are indexed [task][run]. The generator is seeded, so the same call gives the same interval.
/// </summary>
public static class StratifiedBootstrap
{
    /// <summary>The default number of bootstrap replicates.</summary>
    public const int DefaultReplicates = 10_000;

    /// <summary>A percentile confidence interval of <paramref name="aggregate"/> (a function of the flattened or
    /// per-task scores) over stratified resamples of <paramref name="scores"/>.</summary>
    public static ConfidenceInterval Interval(double[][] scores, Func<double[][], double> aggregate, long seed,
                                              int replicates = DefaultReplicates, double level = 0.95)
    {
        Validate(scores, replicates, level);
        var rng = new Rng(seed);
        double[][] sample = scores.Select(t => new double[t.Length]).ToArray();
        var statistics = new double[replicates];
        for (int r = 0; r < replicates; r++)
        {
            Resample(scores, sample, rng);
            statistics[r] = aggregate(sample);
        }
        return FromReplicates(aggregate(scores), statistics, level);
    }

    /// <summary>An interval for a statistic of two independent groups (e.g. probability of improvement), each resampled
    /// per task.</summary>
    public static ConfidenceInterval Interval(double[][] x, double[][] y, Func<double[][], double[][], double> statistic, long seed,
                                              int replicates = DefaultReplicates, double level = 0.95)
    {
        Validate(x, replicates, level);
        Validate(y, replicates, level);
        if (x.Length != y.Length) throw new ArgumentException($"the groups have {x.Length} and {y.Length} tasks");
        var rng = new Rng(seed);
        double[][] sx = x.Select(t => new double[t.Length]).ToArray();
        double[][] sy = y.Select(t => new double[t.Length]).ToArray();
        var statistics = new double[replicates];
        for (int r = 0; r < replicates; r++)
        {
            Resample(x, sx, rng);
            Resample(y, sy, rng);
            statistics[r] = statistic(sx, sy);
        }
        return FromReplicates(statistic(x, y), statistics, level);
    }

    /// <summary>Flattens [task][run] scores into one sample (rliable's aggregates operate on all runs of all tasks).</summary>
    public static double[] Flatten(double[][] scores) => [.. scores.SelectMany(t => t)];

    private static void Resample(double[][] scores, double[][] into, Rng rng)
    {
        for (int t = 0; t < scores.Length; t++)
        {
            double[] task = scores[t];
            for (int i = 0; i < task.Length; i++) into[t][i] = task[rng.NextInt(task.Length)];
        }
    }

    private static ConfidenceInterval FromReplicates(double estimate, double[] statistics, double level)
    {
        double alpha = (1 - level) / 2;
        return new ConfidenceInterval(estimate,
            RobustStatistics.Percentile(statistics, 100 * alpha),
            RobustStatistics.Percentile(statistics, 100 * (1 - alpha)), level);
    }

    private static void Validate(double[][] scores, int replicates, double level)
    {
        if (scores.Length == 0) throw new ArgumentException("no tasks", nameof(scores));
        for (int t = 0; t < scores.Length; t++)
        {
            if (scores[t].Length == 0) throw new ArgumentException($"task {t} has no runs", nameof(scores));
            foreach (double v in scores[t])
            {
                if (!double.IsFinite(v)) throw new ArgumentException($"task {t} has a non-finite score ({v})", nameof(scores));
            }
        }
        if (replicates < 1) throw new ArgumentOutOfRangeException(nameof(replicates), replicates, "need at least one replicate");
        if (!(level > 0 && level < 1)) throw new ArgumentOutOfRangeException(nameof(level), level, "must be in (0, 1)");
    }
}
