namespace RLRegularity.Plotting;

/// <summary>One line of a plot with its confidence band, on a common x grid.</summary>
/// <param name="Name">Legend entry.</param>
/// <param name="X">The x values (e.g. environment steps).</param>
/// <param name="Center">The line (e.g. the IQM over seeds); NaN leaves a gap.</param>
/// <param name="Lower">Lower edge of the band (NaN: no band there).</param>
/// <param name="Upper">Upper edge of the band.</param>
public sealed record PlotSeries(string Name, double[] X, double[] Center, double[] Lower, double[] Upper);

/// <summary>One row of an interval plot: an estimate and its interval, coloured as the <paramref name="Color"/>-th series
/// (default: its row's position).</summary>
public sealed record IntervalRow(string Name, double Estimate, double Lower, double Upper, int? Color = null);
