namespace RLRegularity.Envs.Core;

/// <summary>
/// A space of values, as Gymnasium's <c>spaces</c>: a shape, membership and seeded sampling. Values of numeric
/// spaces travel as flat row-major <see cref="float"/> buffers of <see cref="FlatSize"/> elements, which is what
/// the vector environments batch and what the networks consume.
/// </summary>
public abstract class Space
{
    /// <summary>The shape of one value (empty for a scalar).</summary>
    public abstract IReadOnlyList<int> Shape { get; }

    /// <summary>Number of floats in the flat encoding of one value.</summary>
    public abstract int FlatSize { get; }

    /// <summary>True if the flat value belongs to the space.</summary>
    public abstract bool Contains(ReadOnlySpan<float> value);

    /// <summary>Writes a uniformly sampled value (Gymnasium's sampling rule for the space) into <paramref name="destination"/>.</summary>
    public abstract void Sample(Rng rng, Span<float> destination);

    /// <summary>A short description such as <c>Box(-inf, inf, (4,), float32)</c>.</summary>
    public abstract override string ToString();

    /// <summary>Formats a shape as Python would, e.g. (7, 7, 3) or (4,).</summary>
    protected static string FormatShape(IReadOnlyList<int> shape) =>
        shape.Count == 1 ? $"({shape[0]},)" : "(" + string.Join(", ", shape) + ")";
}
