namespace RLRegularity.Statistics;

/// <summary>
/// Metrics of one run's learning curve, from its finished episodes (end step and return), on a common step grid so
/// that runs can be aggregated point by point.
/// </summary>
public static class LearningCurveMetrics
{
    /// <summary>An evenly spaced grid of <paramref name="points"/> steps ending at <paramref name="totalSteps"/>.</summary>
    public static long[] Grid(long totalSteps, int points)
    {
        if (totalSteps <= 0) throw new ArgumentOutOfRangeException(nameof(totalSteps), totalSteps, "must be positive");
        if (points < 2) throw new ArgumentOutOfRangeException(nameof(points), points, "need at least two points");
        return [.. Enumerable.Range(1, points).Select(i => totalSteps * i / points)];
    }

    /// <summary>
    /// The curve on <paramref name="grid"/>: at step g, the mean return of the last <paramref name="window"/> episodes that
    /// finished at or before g (NaN before the first episode), as the "mean return of recent episodes" RL libraries log.
    /// </summary>
    public static double[] OnGrid(ReadOnlySpan<long> endSteps, ReadOnlySpan<double> returns, ReadOnlySpan<long> grid, int window)
    {
        Check(endSteps, returns);
        if (window < 1) throw new ArgumentOutOfRangeException(nameof(window), window, "must be at least 1");
        var curve = new double[grid.Length];
        int next = 0;
        for (int g = 0; g < grid.Length; g++)
        {
            while (next < endSteps.Length && endSteps[next] <= grid[g]) next++;
            if (next == 0)
            {
                curve[g] = double.NaN;
                continue;
            }
            int from = Math.Max(0, next - window);
            double sum = 0;
            for (int i = from; i < next; i++) sum += returns[i];
            curve[g] = sum / (next - from);
        }
        return curve;
    }

    /// <summary>Mean return of the episodes that finished in the last <paramref name="fraction"/> of the run's steps
    /// (the final performance; NaN if none finished there).</summary>
    public static double FinalPerformance(ReadOnlySpan<long> endSteps, ReadOnlySpan<double> returns, long totalSteps, double fraction = 0.1)
    {
        Check(endSteps, returns);
        if (!(fraction > 0 && fraction <= 1)) throw new ArgumentOutOfRangeException(nameof(fraction), fraction, "must be in (0, 1]");
        double from = totalSteps * (1 - fraction);
        double sum = 0;
        int count = 0;
        for (int i = 0; i < endSteps.Length; i++)
        {
            if (endSteps[i] > from)
            {
                sum += returns[i];
                count++;
            }
        }
        return count > 0 ? sum / count : double.NaN;
    }

    /// <summary>
    /// The <paramref name="window"/>-episode moving average of the returns at the last episode: the mean of the last
    /// <paramref name="window"/> returns (of all of them when there are fewer; NaN for none). With a window of 50 at
    /// episode 2,000 this is the paper's metric (SPEC 8.1).
    /// </summary>
    public static double FinalMovingAverage(ReadOnlySpan<double> returns, int window)
    {
        if (window <= 0) throw new ArgumentOutOfRangeException(nameof(window), window, "must be positive");
        if (returns.Length == 0) return double.NaN;
        ReadOnlySpan<double> last = returns[Math.Max(0, returns.Length - window)..];
        double sum = 0;
        foreach (double r in last) sum += r;
        return sum / last.Length;
    }

    /// <summary>The area under the curve by the trapezoid rule, divided by the grid's span: the average level of the curve
    /// (NaN points, before the first episode, are skipped).</summary>
    public static double NormalizedArea(ReadOnlySpan<long> grid, ReadOnlySpan<double> curve)
    {
        if (grid.Length != curve.Length || grid.Length < 2) throw new ArgumentException("need a curve of at least two points on its grid");
        double area = 0, span = 0;
        for (int i = 1; i < grid.Length; i++)
        {
            if (double.IsNaN(curve[i]) || double.IsNaN(curve[i - 1])) continue;
            double width = grid[i] - grid[i - 1];
            area += width * (curve[i] + curve[i - 1]) / 2;
            span += width;
        }
        return span > 0 ? area / span : double.NaN;
    }

    /// <summary>The window of the rolling mean that defines "reaching the threshold" (Gymnasium's reward thresholds are
    /// meant over recent episodes; 20 is what the runs' summaries and progress display use).</summary>
    public const int RollingWindow = 20;

    /// <summary>
    /// The index of the first episode at which the mean return of the last <see cref="RollingWindow"/> episodes reaches
    /// <paramref name="threshold"/> (the window must be full), or null if it never does. This is the one definition of
    /// "steps to threshold": a run's is the end step of that episode.
    /// </summary>
    public static int? EpisodeReachingThreshold(ReadOnlySpan<double> returns, double threshold)
    {
        for (int i = RollingWindow - 1; i < returns.Length; i++)
        {
            if (Mean(returns.Slice(i - RollingWindow + 1, RollingWindow)) >= threshold) return i;
        }
        return null;
    }

    /// <summary>The steps to <paramref name="threshold"/>: the end step of the episode found by
    /// <see cref="EpisodeReachingThreshold"/>, or null.</summary>
    public static long? StepsToThreshold(ReadOnlySpan<long> endSteps, ReadOnlySpan<double> returns, double threshold) =>
        EpisodeReachingThreshold(returns, threshold) is int i ? endSteps[i] : null;

    /// <summary>The best mean of <paramref name="window"/> consecutive episodes (NaN with fewer episodes).</summary>
    public static double BestRollingMean(ReadOnlySpan<double> returns, int window)
    {
        double best = double.NaN;
        for (int i = window - 1; i < returns.Length; i++)
        {
            double m = Mean(returns.Slice(i - window + 1, window));
            if (double.IsNaN(best) || m > best) best = m;
        }
        return best;
    }

    // The mean as LINQ's Average computes it (sum in order, then divide), so summaries keep their exact values.
    private static double Mean(ReadOnlySpan<double> values)
    {
        double sum = 0;
        foreach (double v in values) sum += v;
        return sum / values.Length;
    }

    /// <summary>
    /// How a run copes with a change of the task at <paramref name="changeStep"/>: the curve's mean over the
    /// <paramref name="window"/> steps before the change, the drop (that level minus the curve's minimum over the window
    /// after the change), and the steps from the change until the curve, from its lowest point in that window on, is back
    /// within 10% of the pre-change level (0.9 × level for positive levels, level − 0.1·|level| in general; null if it
    /// never recovers). A curve that never falls below that line recovers at its lowest point.
    /// </summary>
    public static ChangeResponse Change(ReadOnlySpan<long> grid, ReadOnlySpan<double> curve, long changeStep, long window)
    {
        if (grid.Length != curve.Length) throw new ArgumentException("the curve and its grid differ in length");
        if (window <= 0) throw new ArgumentOutOfRangeException(nameof(window), window, "must be positive");
        double preSum = 0, postMin = double.PositiveInfinity;
        int preCount = 0, lowest = -1;
        for (int i = 0; i < grid.Length; i++)
        {
            if (double.IsNaN(curve[i])) continue;
            if (grid[i] < changeStep && grid[i] >= changeStep - window)
            {
                preSum += curve[i];
                preCount++;
            }
            else if (grid[i] > changeStep && grid[i] <= changeStep + window && curve[i] < postMin)
            {
                postMin = curve[i];
                lowest = i;
            }
        }
        if (preCount == 0) return new ChangeResponse(double.NaN, double.NaN, null);
        double pre = preSum / preCount;
        double drop = double.IsPositiveInfinity(postMin) ? double.NaN : pre - postMin;
        double target = pre - 0.1 * Math.Abs(pre);
        // Recovery counts from the lowest point after the change: the curve is a rolling mean, so it can still sit at the
        // old level for a while after the change before it falls, and that is not a recovery.
        long? recovery = null;
        for (int i = Math.Max(lowest, 0); i < grid.Length; i++)
        {
            if (grid[i] > changeStep && curve[i] >= target)
            {
                recovery = grid[i] - changeStep;
                break;
            }
        }
        return new ChangeResponse(pre, drop, recovery);
    }

    private static void Check(ReadOnlySpan<long> endSteps, ReadOnlySpan<double> returns)
    {
        if (endSteps.Length != returns.Length) throw new ArgumentException($"{endSteps.Length} end steps but {returns.Length} returns");
        for (int i = 1; i < endSteps.Length; i++)
        {
            if (endSteps[i] < endSteps[i - 1]) throw new ArgumentException($"episode end steps must not decrease (episode {i})");
        }
    }
}

/// <summary>A run's response to a change of its task.</summary>
/// <param name="PreChange">Mean level of the curve over the window before the change.</param>
/// <param name="Drop">Pre-change level minus the curve's minimum over the window after it.</param>
/// <param name="RecoverySteps">Steps after the change until the curve is back within 10% of the pre-change level; null if never.</param>
public sealed record ChangeResponse(double PreChange, double Drop, long? RecoverySteps);
