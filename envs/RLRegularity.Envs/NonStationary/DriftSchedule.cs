using System.Text.Json.Serialization;
using RLRegularity.Envs.Core;

namespace RLRegularity.Envs.NonStationary;

/// <summary>
/// A value as a function of the global environment step (data, JSON-serializable with a "type" discriminator, so a
/// run's config records exactly what changed and when).
/// </summary>
[JsonPolymorphic(TypeDiscriminatorPropertyName = "type")]
[JsonDerivedType(typeof(SwitchSchedule), "switch")]
[JsonDerivedType(typeof(PeriodicSchedule), "periodic")]
[JsonDerivedType(typeof(LinearDriftSchedule), "linear")]
[JsonDerivedType(typeof(RandomWalkSchedule), "random_walk")]
public abstract record DriftSchedule
{
    /// <summary>The value at global step <paramref name="step"/> (≥ 0).</summary>
    public abstract double ValueAt(long step);

    /// <summary>The steps at which the value changes abruptly (for plot markers and change metrics); empty for gradual ones.</summary>
    public abstract IReadOnlyList<long> ChangePoints(long untilStep);

    /// <summary>The step of the first abrupt change or the start of a drift, whatever the budget; null when there is none
    /// (a random walk changes a little all the time).</summary>
    public abstract long? FirstChange { get; }
}

/// <summary>An abrupt switch: <paramref name="Before"/> until step <paramref name="AtStep"/>, then <paramref name="After"/>.</summary>
public sealed record SwitchSchedule(double Before, double After, long AtStep) : DriftSchedule
{
    public override double ValueAt(long step) => step < AtStep ? Before : After;
    public override IReadOnlyList<long> ChangePoints(long untilStep) => AtStep <= untilStep ? [AtStep] : [];
    public override long? FirstChange => AtStep;
}

/// <summary>Alternates between <paramref name="A"/> and <paramref name="B"/> every <paramref name="Period"/> steps, starting with A.</summary>
public sealed record PeriodicSchedule(double A, double B, long Period) : DriftSchedule
{
    public override double ValueAt(long step) => Period <= 0 ? throw new InvalidOperationException("the period must be positive")
        : (step / Period) % 2 == 0 ? A : B;
    public override IReadOnlyList<long> ChangePoints(long untilStep) =>
        [.. Enumerable.Range(1, (int)Math.Min(int.MaxValue - 1, untilStep / Math.Max(1, Period))).Select(k => k * Period)];
    public override long? FirstChange => Period;
}

/// <summary><paramref name="From"/> until <paramref name="StartStep"/>, linear to <paramref name="To"/> at <paramref name="EndStep"/>, then To.</summary>
public sealed record LinearDriftSchedule(double From, double To, long StartStep, long EndStep) : DriftSchedule
{
    public override double ValueAt(long step)
    {
        if (step <= StartStep) return From;
        if (step >= EndStep) return To;
        return From + (To - From) * (step - StartStep) / (double)(EndStep - StartStep);
    }

    public override IReadOnlyList<long> ChangePoints(long untilStep) => StartStep <= untilStep ? [StartStep] : [];
    public override long? FirstChange => StartStep;
}

/// <summary>
/// A seeded Gaussian random walk: starts at <paramref name="Start"/>, moves by N(0, <paramref name="StepStd"/>²) every
/// <paramref name="Interval"/> steps, reflected into [<paramref name="Min"/>, <paramref name="Max"/>]. The same seed gives
/// the same walk.
/// </summary>
public sealed record RandomWalkSchedule(double Start, double StepStd, double Min, double Max, long Interval, long Seed) : DriftSchedule
{
    private readonly List<double> _values = [];
    private Rng? _rng;

    public override double ValueAt(long step)
    {
        if (Interval <= 0) throw new InvalidOperationException("the interval must be positive");
        long k = step / Interval;
        lock (_values)
        {
            if (_values.Count == 0)
            {
                _rng = new Rng(Seed);
                _values.Add(Math.Clamp(Start, Min, Max));
            }
            while (_values.Count <= k)
            {
                double v = _values[^1] + StepStd * _rng!.NextGaussian();
                // Reflect at the bounds so the walk keeps moving instead of sticking to them.
                while (v < Min || v > Max) v = v < Min ? 2 * Min - v : 2 * Max - v;
                _values.Add(v);
            }
            return _values[(int)k];
        }
    }

    public override IReadOnlyList<long> ChangePoints(long untilStep) => [];
    public override long? FirstChange => null;
}
