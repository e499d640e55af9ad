using RLRegularity.Statistics;

namespace RLRegularity.Plotting;

/// <summary>Aggregates per-run curves on a common grid into a centre line and a 95% bootstrap band per point.</summary>
public static class CurveAggregate
{
    /// <summary>
    /// At each grid point, the IQM (or mean) over the runs that have a value there, with a 95% percentile bootstrap
    /// interval over runs (seeded, so plots are reproducible). Points where no run has a value are NaN.
    /// </summary>
    public static (double[] Center, double[] Lower, double[] Upper) Aggregate(IReadOnlyList<double[]> curves, bool iqm = true, long seed = 7, int replicates = 1000)
    {
        if (curves.Count == 0) throw new ArgumentException("no curves to aggregate", nameof(curves));
        int points = curves[0].Length;
        if (curves.Any(c => c.Length != points)) throw new ArgumentException("curves must share their grid");
        var center = new double[points];
        var lower = new double[points];
        var upper = new double[points];
        for (int i = 0; i < points; i++)
        {
            double[] values = [.. curves.Select(c => c[i]).Where(double.IsFinite)];
            if (values.Length == 0)
            {
                center[i] = lower[i] = upper[i] = double.NaN;
                continue;
            }
            Func<double[][], double> statistic = iqm
                ? s => RobustStatistics.InterquartileMean(s[0])
                : s => RobustStatistics.Mean(s[0]);
            ConfidenceInterval ci = StratifiedBootstrap.Interval([values], statistic, seed + i, replicates);
            center[i] = ci.Estimate;
            lower[i] = ci.Lower;
            upper[i] = ci.Upper;
        }
        return (center, lower, upper);
    }
}
