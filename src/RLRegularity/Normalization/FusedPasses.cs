using System.Numerics;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;
using TensorPrimitives = System.Numerics.Tensors.TensorPrimitives;

namespace RLRegularity.Normalization;

/// <summary>
/// Chains of element-wise passes of an RN call done in one pass over memory, each element getting exactly the IEEE
/// operations, in the same order, that the chain of <see cref="TensorPrimitives"/> calls gives it (so results are bit
/// for bit the same; tests compare both). Only element-wise work is fused: reductions stay TensorPrimitives calls,
/// whose summation order would otherwise change.
/// </summary>
/// <remarks>
/// Why: at the agents' sizes (128 × 120 doubles) an RN call is about twenty passes of 1.5–3 µs each, and the
/// exponential is TensorPrimitives' vector <c>Exp</c>, which differs from scalar <c>Math.Exp</c> in the last bit. The
/// chunked exponential therefore runs only where TensorPrimitives would use the same vector width for every element
/// (512-bit vectors and at least 8 values, or 256-bit and at least 4); elsewhere the caller keeps the separate calls.
/// </remarks>
internal static class FusedPasses
{
    /// <summary>True when <see cref="ShiftScaleExp"/> matches TensorPrimitives' Exp for <paramref name="length"/> values.</summary>
    public static bool ExpMatches(int length) =>
        Vector512.IsHardwareAccelerated ? length >= Vector512<double>.Count
        : Vector256.IsHardwareAccelerated && length >= Vector256<double>.Count;

    /// <summary>deviation = x − μ and square = deviation ⊙ deviation.</summary>
    public static void DeviationAndSquare(ReadOnlySpan<double> x, double mu, Span<double> deviation, Span<double> square)
    {
        int n = x.Length, i = 0;
        if (Vector256.IsHardwareAccelerated)
        {
            var m = Vector256.Create(mu);
            ref double xs = ref MemoryMarshal.GetReference(x);
            ref double ds = ref MemoryMarshal.GetReference(deviation);
            ref double ss = ref MemoryMarshal.GetReference(square);
            for (; i <= n - Vector256<double>.Count; i += Vector256<double>.Count)
            {
                Vector256<double> d = Vector256.LoadUnsafe(ref xs, (nuint)i) - m;
                d.StoreUnsafe(ref ds, (nuint)i);
                (d * d).StoreUnsafe(ref ss, (nuint)i);
            }
        }
        for (; i < n; i++)
        {
            double d = x[i] - mu;
            deviation[i] = d;
            square[i] = d * d;
        }
    }

    /// <summary>
    /// values = exp((values + shift) ⊙ factor), in place; only where <see cref="ExpMatches"/> holds. The exponential is
    /// TensorPrimitives' own (its vector Exp is not <c>Vector512.Exp</c>: they differ in the last bit for some inputs),
    /// on cache-sized chunks copied, shifted and scaled into a 64-byte-aligned buffer.
    /// </summary>
    /// <remarks>
    /// Why the aligned buffer: TensorPrimitives' Exp computes a whole vector another way when one of its lanes is
    /// beyond ±708 (exp under- or overflows there), and it groups elements into vectors from the first aligned address
    /// of its destination. On a plain array, whose alignment depends on where the GC put it (and changes when the GC
    /// moves it), an RN call with an outlier 37σ from the running mean could round its neighbours differently from one
    /// process to the next. From an aligned buffer the grouping is always the same; where no lane is beyond ±708 the
    /// result is the same as on any array, bit for bit.
    /// </remarks>
    public static void ShiftScaleExp(Span<double> values, double shift, double factor)
    {
        int n = values.Length;
        if (!ExpMatches(n)) throw new ArgumentException($"the fused exponential does not match TensorPrimitives for {n} values");
        Span<double> buffer = AlignedBuffer();
        for (int start = 0; start < n;)
        {
            int length = Math.Min(Chunk, n - start);
            if (!ExpMatches(n - start - length) && n - start - length > 0) length = n - start; // no short last chunk
            Span<double> chunk = buffer[..length];
            ShiftScale(values.Slice(start, length), shift, factor, chunk);
            TensorPrimitives.Exp(chunk, chunk);
            chunk.CopyTo(values.Slice(start, length));
            start += length;
        }
    }

    // Elements per chunk: 4 KB, which stays in L1 between the steps; a merged last chunk adds at most a vector less one.
    private const int Chunk = 512;
    private const int Alignment = 64;

    [ThreadStatic] private static double[]? _aligned;

    // Chunk + 64 bytes of doubles starting at a 64-byte boundary, in a pinned (never moved) array of this thread.
    private static Span<double> AlignedBuffer()
    {
        const int Length = Chunk + 2 * (Alignment / sizeof(double));
        _aligned ??= GC.AllocateArray<double>(Length + Alignment / sizeof(double), pinned: true);
        int offset;
        unsafe
        {
            fixed (double* start = _aligned) offset = (int)((Alignment - (nuint)start % Alignment) % Alignment) / sizeof(double);
        }
        return _aligned.AsSpan(offset, Length);
    }

    // destination = (source + shift) ⊙ factor.
    private static void ShiftScale(ReadOnlySpan<double> source, double shift, double factor, Span<double> destination)
    {
        int n = source.Length, i = 0;
        if (Vector256.IsHardwareAccelerated)
        {
            var s = Vector256.Create(shift);
            var f = Vector256.Create(factor);
            ref double src = ref MemoryMarshal.GetReference(source);
            ref double dst = ref MemoryMarshal.GetReference(destination);
            for (; i <= n - Vector256<double>.Count; i += Vector256<double>.Count)
                ((Vector256.LoadUnsafe(ref src, (nuint)i) + s) * f).StoreUnsafe(ref dst, (nuint)i);
        }
        for (; i < n; i++) destination[i] = (source[i] + shift) * factor;
    }

    /// <summary>product = (weights ⊙ scale) ⊙ deviation: the softmax weights normalized and times the deviations.</summary>
    public static void ScaledProduct(ReadOnlySpan<double> weights, double scale, ReadOnlySpan<double> deviation, Span<double> product)
    {
        int n = weights.Length, i = 0;
        if (Vector256.IsHardwareAccelerated)
        {
            var c = Vector256.Create(scale);
            ref double ws = ref MemoryMarshal.GetReference(weights);
            ref double ds = ref MemoryMarshal.GetReference(deviation);
            ref double ps = ref MemoryMarshal.GetReference(product);
            for (; i <= n - Vector256<double>.Count; i += Vector256<double>.Count)
                (Vector256.LoadUnsafe(ref ws, (nuint)i) * c * Vector256.LoadUnsafe(ref ds, (nuint)i)).StoreUnsafe(ref ps, (nuint)i);
        }
        for (; i < n; i++) product[i] = weights[i] * scale * deviation[i];
    }

    /// <summary>
    /// jacobian = T(((x ⊙ cb) + (q ⊙ alpha)) + ca): scalar RN's J_j = Q_j + CA + CB·x_j from the unscaled Q, rounded to T
    /// (the separate passes: q ⊙= alpha; q = x ⊙ cb + q; q += ca; convert).
    /// </summary>
    public static void Jacobian<T>(ReadOnlySpan<double> q, double alpha, ReadOnlySpan<double> x, double cb, double ca, Span<T> jacobian)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        int n = q.Length;
        if (typeof(T) == typeof(float))
        {
            Span<float> destination = MemoryMarshal.Cast<T, float>(jacobian);
            int i = 0;
            if (Vector256.IsHardwareAccelerated)
            {
                var a = Vector256.Create(alpha);
                var b = Vector256.Create(cb);
                var c = Vector256.Create(ca);
                ref double qs = ref MemoryMarshal.GetReference(q);
                ref double xs = ref MemoryMarshal.GetReference(x);
                ref float js = ref MemoryMarshal.GetReference(destination);
                for (; i <= n - Vector256<double>.Count; i += Vector256<double>.Count)
                {
                    Vector256<double> j = Vector256.LoadUnsafe(ref xs, (nuint)i) * b + Vector256.LoadUnsafe(ref qs, (nuint)i) * a + c;
                    Vector128.Narrow(j.GetLower(), j.GetUpper()).StoreUnsafe(ref js, (nuint)i);
                }
            }
            for (; i < n; i++) destination[i] = (float)(x[i] * cb + q[i] * alpha + ca);
            return;
        }
        for (int i = 0; i < n; i++) jacobian[i] = T.CreateTruncating(x[i] * cb + q[i] * alpha + ca);
    }
}
