namespace RLRegularity.Statistics;

/// <summary>A point estimate with a confidence interval.</summary>
/// <param name="Estimate">The statistic on the observed data.</param>
/// <param name="Lower">Lower bound of the interval.</param>
/// <param name="Upper">Upper bound of the interval.</param>
/// <param name="Level">The interval's nominal coverage, e.g. 0.95.</param>
public readonly record struct ConfidenceInterval(double Estimate, double Lower, double Upper, double Level)
{
    /// <summary>True if <paramref name="value"/> lies in [Lower, Upper].</summary>
    public bool Contains(double value) => value >= Lower && value <= Upper;
}
