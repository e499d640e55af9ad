using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;

namespace RLRegularity.Normalization;

/// <summary>
/// The passes of scalar RN's <see cref="RegularityArithmetic.Fast"/> arithmetic over float32 activations: the batch's
/// sum and sum of squares, the smallest squared deviation, the exponentials with the three sums the code length and its
/// gradient need, and the output with the gradient's Jacobian, each one pass over memory.
/// </summary>
/// <remarks>
/// Every pass uses 256-bit vectors of a fixed layout and our own exponential (<see cref="ExpNonPositive"/>), whatever
/// the processor offers beyond AVX2, and sums lane by lane before one fixed final order: a call's result depends on its
/// inputs only, not on the vector width, on where the arrays lie, or on the runtime's version of <c>Exp</c>. The
/// statistics (sums, sums of squares, the sums of the exponentials) accumulate in float64; the element-wise work is float32.
/// </remarks>
internal static class Float32Passes
{
    private const int Width = 8; // floats per Vector256

    /// <summary>Σ(x − shift) and Σ(x − shift)² in float64, with shift = x[0] (a value of the batch, so that the
    /// variance's one-pass formula cancels little).</summary>
    public static (double Shift, double Sum, double SumOfSquares) ShiftedSums(ReadOnlySpan<float> x)
    {
        double shift = x[0];
        int n = x.Length, i = 0;
        var sumLow = Vector256<double>.Zero;
        var sumHigh = Vector256<double>.Zero;
        var squaresLow = Vector256<double>.Zero;
        var squaresHigh = Vector256<double>.Zero;
        var s = Vector256.Create(shift);
        ref float xs = ref MemoryMarshal.GetReference(x);
        for (; i <= n - Width; i += Width)
        {
            (Vector256<double> low, Vector256<double> high) = Vector256.Widen(Vector256.LoadUnsafe(ref xs, (nuint)i));
            low -= s;
            high -= s;
            sumLow += low;
            sumHigh += high;
            squaresLow += low * low;
            squaresHigh += high * high;
        }
        double sum = Reduce(sumLow + sumHigh), squares = Reduce(squaresLow + squaresHigh);
        for (; i < n; i++)
        {
            double d = x[i] - shift;
            sum += d;
            squares += d * d;
        }
        return (shift, sum, squares);
    }

    /// <summary>min over the batch of (x − μ)², with x − μ in float32.</summary>
    public static float MinSquaredDeviation(ReadOnlySpan<float> x, float mu)
    {
        int n = x.Length, i = 0;
        var minimum = Vector256.Create(float.PositiveInfinity);
        var m = Vector256.Create(mu);
        ref float xs = ref MemoryMarshal.GetReference(x);
        for (; i <= n - Width; i += Width)
        {
            Vector256<float> d = Vector256.LoadUnsafe(ref xs, (nuint)i) - m;
            minimum = Vector256.Min(minimum, d * d);
        }
        float result = float.PositiveInfinity;
        for (int lane = 0; lane < Width; lane++) result = Math.Min(result, minimum.GetElement(lane));
        for (; i < n; i++)
        {
            float d = x[i] - mu;
            result = Math.Min(result, d * d);
        }
        return result;
    }

    /// <summary>
    /// e_i = exp((min − (x_i − μ)²) · f) for f = 1/(2σ²), so the largest is exactly 1 (its element has the smallest
    /// squared deviation); returns Σe, Σe·d and Σe·d² (d = x − μ). Writes e only when <paramref name="exps"/> is not
    /// empty; the two weighted sums are computed only when <paramref name="weighted"/> is true. The sums run in float32
    /// lanes over blocks of <see cref="Block"/> vectors, each block's lanes then added into float64 ones.
    /// </summary>
    public static (double SumE, double SumED, double SumED2) Exponentials(ReadOnlySpan<float> x, float mu, float minSquare, float factor, Span<float> exps, bool weighted)
    {
        int n = x.Length, i = 0;
        bool store = !exps.IsEmpty;
        var sumE = Vector256<double>.Zero;
        var sumED = Vector256<double>.Zero;
        var sumED2 = Vector256<double>.Zero;
        var m = Vector256.Create(mu);
        var shift = Vector256.Create(minSquare);
        var f = Vector256.Create(factor);
        ref float xs = ref MemoryMarshal.GetReference(x);
        ref float es = ref MemoryMarshal.GetReference(exps);
        while (i <= n - Width)
        {
            var blockE = Vector256<float>.Zero;
            var blockED = Vector256<float>.Zero;
            var blockED2 = Vector256<float>.Zero;
            int blockEnd = Math.Min(n - Width, i + (Block - 1) * Width);
            for (; i <= blockEnd; i += Width)
            {
                Vector256<float> d = Vector256.LoadUnsafe(ref xs, (nuint)i) - m;
                Vector256<float> e = ExpNonPositive((shift - d * d) * f);
                if (store) e.StoreUnsafe(ref es, (nuint)i);
                blockE += e;
                if (weighted)
                {
                    Vector256<float> ed = e * d;
                    blockED += ed;
                    blockED2 += ed * d;
                }
            }
            sumE += Widened(blockE);
            if (weighted)
            {
                sumED += Widened(blockED);
                sumED2 += Widened(blockED2);
            }
        }
        double totalE = Reduce(sumE), totalED = Reduce(sumED), totalED2 = Reduce(sumED2);
        for (; i < n; i++)
        {
            float d = x[i] - mu;
            float e = ExpNonPositive(Vector256.Create((minSquare - d * d) * factor)).GetElement(0);
            if (store) exps[i] = e;
            totalE += e;
            if (weighted)
            {
                float ed = e * d;
                totalED += ed;
                totalED2 += ed * d;
            }
        }
        return (totalE, totalED, totalED2);
    }

    // Vectors per float32 block of Exponentials' sums: 16 terms of at most 1 per lane, so float32 loses nothing that matters.
    private const int Block = 16;

    // The float32 lanes' pairs (i, i + 4) added in float64.
    private static Vector256<double> Widened(Vector256<float> v)
    {
        (Vector256<double> low, Vector256<double> high) = Vector256.Widen(v);
        return low + high;
    }

    /// <summary>Σ a·b, the products in float32, summed in float64 lanes.</summary>
    public static double Dot(ReadOnlySpan<float> a, ReadOnlySpan<float> b)
    {
        int n = a.Length, i = 0;
        var sum = Vector256<double>.Zero;
        ref float xs = ref MemoryMarshal.GetReference(a);
        ref float ys = ref MemoryMarshal.GetReference(b);
        for (; i <= n - Width; i += Width)
            sum += Widened(Vector256.LoadUnsafe(ref xs, (nuint)i) * Vector256.LoadUnsafe(ref ys, (nuint)i));
        double total = Reduce(sum);
        for (; i < n; i++) total += a[i] * b[i];
        return total;
    }

    /// <summary>
    /// The input gradient of scalar RN in the fast arithmetic, one pass: dx = G·J + g·scale with scalar RN's Jacobian of
    /// the code length J = a·e·(x − μ) + ca + cb·x and G = Σ g·x (<see cref="Dot"/>); one scale per row, or
    /// <paramref name="rowScales"/> empty and one for all.
    /// </summary>
    public static void InputGradient(ReadOnlySpan<float> x, ReadOnlySpan<float> g, ReadOnlySpan<float> exps, int cols, float scale, ReadOnlySpan<float> rowScales,
                                     float mu, float a, float ca, float cb, float total, Span<float> dx)
    {
        int n = x.Length;
        var m = Vector256.Create(mu);
        var va = Vector256.Create(a);
        var vca = Vector256.Create(ca);
        var vcb = Vector256.Create(cb);
        var vg = Vector256.Create(total);
        ref float xs = ref MemoryMarshal.GetReference(x);
        ref float gs = ref MemoryMarshal.GetReference(g);
        ref float es = ref MemoryMarshal.GetReference(exps);
        ref float ds = ref MemoryMarshal.GetReference(dx);
        int rows = rowScales.IsEmpty ? 1 : rowScales.Length, span = rowScales.IsEmpty ? n : cols;
        for (int r = 0; r < rows; r++)
        {
            float s = rowScales.IsEmpty ? scale : rowScales[r];
            var vs = Vector256.Create(s);
            int start = r * span, end = start + span, i = start;
            for (; i <= end - Width; i += Width)
            {
                Vector256<float> xv = Vector256.LoadUnsafe(ref xs, (nuint)i);
                Vector256<float> j = va * Vector256.LoadUnsafe(ref es, (nuint)i) * (xv - m) + vca + vcb * xv;
                (j * vg + Vector256.LoadUnsafe(ref gs, (nuint)i) * vs).StoreUnsafe(ref ds, (nuint)i);
            }
            for (; i < end; i++)
            {
                float j = a * exps[i] * (x[i] - mu) + ca + cb * x[i];
                dx[i] = j * total + g[i] * s;
            }
        }
    }

    /// <summary>
    /// e^t for t ≤ 0 in float32, to about 2 ulp: t clamped at −87 (e^−87 ≈ 1.6e−38, the smallest exponent with a normal
    /// result; RN's largest term is 1, so what is lost below is nothing); k = round(t/ln 2) by the 1.5·2²³ rounding trick,
    /// whose low bits then hold k, so 2^k is those bits shifted into the exponent; r = t − k·ln 2 in two parts, and
    /// e^r = 1 + r + r²·P(r) with Cephes' degree-5 P on |r| ≤ ln 2 / 2. Plain multiplies and adds, no fused
    /// multiply-add, so every processor gives the same bits.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<float> ExpNonPositive(Vector256<float> t)
    {
        const float Log2E = 1.44269504088896341f, Ln2High = 0.693359375f, Ln2Low = -2.12194440e-4f;
        const float RoundingMagic = 12582912f; // 1.5·2^23
        t = Vector256.Max(t, Vector256.Create(-87f));
        Vector256<float> shifted = t * Vector256.Create(Log2E) + Vector256.Create(RoundingMagic);
        Vector256<float> k = shifted - Vector256.Create(RoundingMagic);
        Vector256<float> r = t - k * Vector256.Create(Ln2High) - k * Vector256.Create(Ln2Low);
        Vector256<float> p = Vector256.Create(1.9875691500e-4f);
        p = p * r + Vector256.Create(1.3981999507e-3f);
        p = p * r + Vector256.Create(8.3334519073e-3f);
        p = p * r + Vector256.Create(4.1665795894e-2f);
        p = p * r + Vector256.Create(1.6666665459e-1f);
        p = p * r + Vector256.Create(5.0000001201e-1f);
        p = p * (r * r) + r + Vector256<float>.One;
        // shifted's bits are 0x4B400000 + k (k ≥ −126): shifting left by 23 drops the constant and leaves k in the exponent.
        Vector256<int> twoToK = Vector256.ShiftLeft(shifted.AsInt32(), 23) + Vector256.Create(127 << 23);
        return p * twoToK.AsSingle();
    }

    // Lanes summed in a fixed order: (0 + 1) + (2 + 3).
    private static double Reduce(Vector256<double> v) => (v.GetElement(0) + v.GetElement(1)) + (v.GetElement(2) + v.GetElement(3));
}
