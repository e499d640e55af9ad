namespace RLRegularity.Statistics;

/// <summary>Point estimates of rliable (Agarwal et al., 2021): mean, interquartile mean, trimmed mean and percentiles.</summary>
public static class RobustStatistics
{
    /// <summary>The arithmetic mean; an empty sample is an error.</summary>
    public static double Mean(ReadOnlySpan<double> values)
    {
        if (values.IsEmpty) throw new ArgumentException("the mean of an empty sample is undefined", nameof(values));
        double sum = 0;
        foreach (double v in values) sum += v;
        return sum / values.Length;
    }

    /// <summary>The interquartile mean: the mean of the middle 50% (scipy's <c>trim_mean(x, 0.25)</c>, as rliable).</summary>
    public static double InterquartileMean(ReadOnlySpan<double> values) => TrimmedMean(values, 0.25);

    /// <summary>scipy's <c>trim_mean</c>: sorts, removes ⌊proportion·n⌋ values from each end and averages the rest.</summary>
    public static double TrimmedMean(ReadOnlySpan<double> values, double proportionToCut)
    {
        if (values.IsEmpty) throw new ArgumentException("the trimmed mean of an empty sample is undefined", nameof(values));
        if (!(proportionToCut >= 0 && proportionToCut < 0.5)) throw new ArgumentOutOfRangeException(nameof(proportionToCut), proportionToCut, "must be in [0, 0.5)");
        double[] sorted = values.ToArray();
        Array.Sort(sorted);
        int cut = (int)Math.Floor(proportionToCut * sorted.Length);
        return Mean(sorted.AsSpan(cut, sorted.Length - 2 * cut));
    }

    /// <summary>numpy's default (linear) percentile, <paramref name="q"/> in [0, 100].</summary>
    public static double Percentile(ReadOnlySpan<double> values, double q)
    {
        if (values.IsEmpty) throw new ArgumentException("the percentile of an empty sample is undefined", nameof(values));
        if (!(q >= 0 && q <= 100)) throw new ArgumentOutOfRangeException(nameof(q), q, "must be in [0, 100]");
        double[] sorted = values.ToArray();
        Array.Sort(sorted);
        double position = q / 100.0 * (sorted.Length - 1);
        int below = (int)Math.Floor(position);
        int above = Math.Min(below + 1, sorted.Length - 1);
        return sorted[below] + (sorted[above] - sorted[below]) * (position - below);
    }
}
