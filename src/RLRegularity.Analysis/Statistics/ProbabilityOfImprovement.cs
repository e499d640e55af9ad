namespace RLRegularity.Statistics;

/// <summary>
/// rliable's probability of improvement P(X &gt; Y): per task, the Mann–Whitney statistic (the share of run pairs
/// where X beats Y, ties counting one half), averaged over tasks; with a stratified bootstrap interval.
/// </summary>
public static class ProbabilityOfImprovement
{
    /// <summary>The point estimate for scores indexed [task][run].</summary>
    public static double Estimate(double[][] x, double[][] y)
    {
        if (x.Length != y.Length || x.Length == 0) throw new ArgumentException("both groups need the same, positive number of tasks");
        double total = 0;
        for (int t = 0; t < x.Length; t++)
        {
            if (x[t].Length == 0 || y[t].Length == 0) throw new ArgumentException($"task {t} has no runs in one group");
            double wins = 0;
            foreach (double a in x[t])
            {
                foreach (double b in y[t]) wins += a > b ? 1 : a == b ? 0.5 : 0;
            }
            total += wins / (x[t].Length * (double)y[t].Length);
        }
        return total / x.Length;
    }

    /// <summary>The estimate with its stratified-bootstrap percentile interval.</summary>
    public static ConfidenceInterval Interval(double[][] x, double[][] y, long seed, int replicates = StratifiedBootstrap.DefaultReplicates, double level = 0.95) =>
        StratifiedBootstrap.Interval(x, y, Estimate, seed, replicates, level);
}
