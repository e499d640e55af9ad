namespace RLRegularity.Envs.Core;

/// <summary>The element type a <see cref="BoxSpace"/> describes (values always travel as floats).</summary>
public enum BoxDType
{
    /// <summary>32-bit floats.</summary>
    Float32,
    /// <summary>Bytes 0–255 (MiniGrid's encoded images); sampled values are integers.</summary>
    UInt8,
}

/// <summary>A box [low, high] per element, as Gymnasium's <c>Box</c>.</summary>
public sealed class BoxSpace : Space
{
    private readonly int[] _shape;
    private readonly float[] _low;
    private readonly float[] _high;

    /// <summary>Creates a box with one bound per element (flat, row-major); the bound arrays are copied.</summary>
    public BoxSpace(ReadOnlySpan<float> low, ReadOnlySpan<float> high, int[] shape, BoxDType dtype = BoxDType.Float32)
    {
        int size = 1;
        foreach (int d in shape)
        {
            if (d <= 0) throw new ArgumentOutOfRangeException(nameof(shape), "every dimension must be positive");
            size *= d;
        }
        if (low.Length != size || high.Length != size)
            throw new ArgumentException($"bounds have {low.Length} and {high.Length} elements but the shape holds {size}");
        for (int i = 0; i < size; i++)
        {
            if (float.IsNaN(low[i]) || float.IsNaN(high[i]) || low[i] > high[i])
                throw new ArgumentException($"bound {i} is not an interval: [{low[i]}, {high[i]}]");
        }
        _shape = (int[])shape.Clone();
        _low = low.ToArray();
        _high = high.ToArray();
        DType = dtype;
    }

    /// <summary>Creates a box whose elements all share the same bounds.</summary>
    public BoxSpace(float low, float high, int[] shape, BoxDType dtype = BoxDType.Float32)
        : this(Filled(low, shape), Filled(high, shape), shape, dtype) { }

    private static float[] Filled(float value, int[] shape)
    {
        int size = 1;
        foreach (int d in shape) size *= Math.Max(d, 0);
        var a = new float[size];
        Array.Fill(a, value);
        return a;
    }

    /// <summary>The element type.</summary>
    public BoxDType DType { get; }

    /// <summary>Lower bounds, flat.</summary>
    public ReadOnlySpan<float> Low => _low;

    /// <summary>Upper bounds, flat.</summary>
    public ReadOnlySpan<float> High => _high;

    public override IReadOnlyList<int> Shape => _shape;
    public override int FlatSize => _low.Length;

    public override bool Contains(ReadOnlySpan<float> value)
    {
        if (value.Length != _low.Length) return false;
        for (int i = 0; i < value.Length; i++)
        {
            float v = value[i];
            if (!(v >= _low[i] && v <= _high[i])) return false; // NaN is never inside
            if (DType == BoxDType.UInt8 && v != MathF.Round(v)) return false;
        }
        return true;
    }

    /// <summary>Gymnasium's rule: uniform on bounded elements, exponential on half-bounded, normal on unbounded.</summary>
    public override void Sample(Rng rng, Span<float> destination)
    {
        for (int i = 0; i < _low.Length; i++)
        {
            double lo = _low[i], hi = _high[i];
            bool hasLow = !double.IsNegativeInfinity(lo), hasHigh = !double.IsPositiveInfinity(hi);
            double v;
            if (DType == BoxDType.UInt8) v = rng.NextInt((int)lo, (int)hi + 1);
            else if (hasLow && hasHigh) v = rng.Uniform(lo, hi);
            else if (hasLow) v = lo - Math.Log(1.0 - rng.NextDouble());
            else if (hasHigh) v = hi + Math.Log(1.0 - rng.NextDouble());
            else v = rng.NextGaussian();
            destination[i] = (float)v;
        }
    }

    public override string ToString()
    {
        string dtype = DType == BoxDType.UInt8 ? "uint8" : "float32";
        bool uniform = true;
        for (int i = 1; i < _low.Length; i++) uniform &= _low[i] == _low[0] && _high[i] == _high[0];
        string bounds = uniform ? $"{Format(_low[0])}, {Format(_high[0])}" : $"[{string.Join(", ", _low.Select(Format))}], [{string.Join(", ", _high.Select(Format))}]";
        return $"Box({bounds}, {FormatShape(_shape)}, {dtype})";
    }

    private static string Format(float v) => float.IsPositiveInfinity(v) ? "inf" : float.IsNegativeInfinity(v) ? "-inf" : v.ToString("R", System.Globalization.CultureInfo.InvariantCulture);
}
