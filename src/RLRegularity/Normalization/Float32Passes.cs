using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;

namespace RLRegularity.Normalization;

/// <summary>
/// The passes of scalar RN's <see cref="RegularityArithmetic.Fast"/> arithmetic over float32 activations: the batch's
/// sum and sum of squares, the smallest squared deviation (only when needed), the exponentials with the three sums the
/// code length and its gradient need, and the input gradient, each one pass over memory.
/// </summary>
/// <remarks>
/// The sums have one canonical layout: 16 lanes, lane j taking the elements j, j + 16, j + 32, ... in order, the lanes
/// added in lane order at the end and the elements beyond the last full group of 16 after them. With AVX-512 a group
/// is one 512-bit vector; otherwise two 256-bit vectors, whose lanes are kept apart to the end. The exponential is our
/// own (<see cref="ExpNonPositive(Vector256{float})"/>), the same operations in every lane of either width, with no fused
/// multiply-add. So a call's result depends on its inputs only: not on the vector width, on where the arrays lie, or on
/// the runtime's version of <c>Exp</c>. The statistics accumulate in float64; the element-wise work is float32.
/// </remarks>
internal static class Float32Passes
{
    private const int Group = 16; // elements per group of the canonical layout: one Vector512<float> or two Vector256<float>

    /// <summary>Whether the passes use 512-bit vectors (the processor has them); tests turn it off to compare the two widths.</summary>
    internal static bool UseVector512 { get; set; } = Vector512.IsHardwareAccelerated;

    /// <summary>Σ(x − shift) and Σ(x − shift)² in float64, with shift = x[0] (a value of the batch, so that the
    /// variance's one-pass formula cancels little).</summary>
    public static (double Shift, double Sum, double SumOfSquares) ShiftedSums(ReadOnlySpan<float> x)
    {
        double shift = x[0];
        int n = x.Length, i = 0;
        Span<double> sums = stackalloc double[Group], squares = stackalloc double[Group];
        ref float xs = ref MemoryMarshal.GetReference(x);
        if (UseVector512)
        {
            var s = Vector512.Create(shift);
            Vector512<double> sum0 = default, sum1 = default, square0 = default, square1 = default;
            for (; i <= n - Group; i += Group)
            {
                (Vector512<double> low, Vector512<double> high) = Vector512.Widen(Vector512.LoadUnsafe(ref xs, (nuint)i));
                low -= s;
                high -= s;
                sum0 += low;
                sum1 += high;
                square0 += low * low;
                square1 += high * high;
            }
            Store(sums, sum0, sum1);
            Store(squares, square0, square1);
        }
        else
        {
            var s = Vector256.Create(shift);
            Vector256<double> sum0 = default, sum1 = default, sum2 = default, sum3 = default;
            Vector256<double> square0 = default, square1 = default, square2 = default, square3 = default;
            for (; i <= n - Group; i += Group)
            {
                (Vector256<double> a, Vector256<double> b) = Vector256.Widen(Vector256.LoadUnsafe(ref xs, (nuint)i));
                (Vector256<double> c, Vector256<double> d) = Vector256.Widen(Vector256.LoadUnsafe(ref xs, (nuint)(i + 8)));
                a -= s;
                b -= s;
                c -= s;
                d -= s;
                sum0 += a;
                sum1 += b;
                sum2 += c;
                sum3 += d;
                square0 += a * a;
                square1 += b * b;
                square2 += c * c;
                square3 += d * d;
            }
            Store(sums, sum0, sum1, sum2, sum3);
            Store(squares, square0, square1, square2, square3);
        }
        double sum = InLaneOrder(sums), sumOfSquares = InLaneOrder(squares);
        for (; i < n; i++)
        {
            double d = x[i] - shift;
            sum += d;
            sumOfSquares += d * d;
        }
        return (shift, sum, sumOfSquares);
    }

    /// <summary>min over the batch of (x − μ)², with x − μ in float32 (a minimum does not depend on the order).</summary>
    public static float MinSquaredDeviation(ReadOnlySpan<float> x, float mu)
    {
        int n = x.Length, i = 0;
        var minimum = Vector256.Create(float.PositiveInfinity);
        var m = Vector256.Create(mu);
        ref float xs = ref MemoryMarshal.GetReference(x);
        for (; i <= n - 8; i += 8)
        {
            Vector256<float> d = Vector256.LoadUnsafe(ref xs, (nuint)i) - m;
            minimum = Vector256.Min(minimum, d * d);
        }
        float result = float.PositiveInfinity;
        for (int lane = 0; lane < 8; lane++) result = Math.Min(result, minimum.GetElement(lane));
        for (; i < n; i++)
        {
            float d = x[i] - mu;
            result = Math.Min(result, d * d);
        }
        return result;
    }

    /// <summary>
    /// e_i = exp((min − (x_i − μ)²) · f) for f = 1/(2σ²) and min ≤ every (x_i − μ)², so every term is at most 1;
    /// returns Σe, Σe·d and Σe·d² (d = x − μ). Writes e only when <paramref name="exps"/> is not empty; the two weighted
    /// sums are computed only when <paramref name="weighted"/> is true. Each lane sums in float32 over a block of
    /// <see cref="Block"/> groups, and the block's lanes are then added into float64 ones.
    /// </summary>
    public static (double SumE, double SumED, double SumED2) Exponentials(ReadOnlySpan<float> x, float mu, float minSquare, float factor, Span<float> exps, bool weighted)
    {
        int n = x.Length;
        Span<double> sumE = stackalloc double[Group], sumED = stackalloc double[Group], sumED2 = stackalloc double[Group];
        sumE.Clear();
        sumED.Clear();
        sumED2.Clear();
        int i = UseVector512
            ? Exponentials512(x, mu, minSquare, factor, exps, weighted, sumE, sumED, sumED2)
            : Exponentials256(x, mu, minSquare, factor, exps, weighted, sumE, sumED, sumED2);
        double totalE = InLaneOrder(sumE), totalED = InLaneOrder(sumED), totalED2 = InLaneOrder(sumED2);
        for (; i < n; i++)
        {
            float d = x[i] - mu;
            float e = ExpNonPositive(Vector256.Create((minSquare - d * d) * factor)).GetElement(0);
            if (!exps.IsEmpty) exps[i] = e;
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

    // Groups per float32 block of Exponentials' sums: 16 terms of at most 1 per lane, so float32 loses nothing that matters.
    private const int Block = 16;

    // Exponentials over the full groups with 512-bit vectors, adding each block's lanes into the sums; returns the first element left.
    private static int Exponentials512(ReadOnlySpan<float> x, float mu, float minSquare, float factor, Span<float> exps, bool weighted,
                                       Span<double> sumE, Span<double> sumED, Span<double> sumED2)
    {
        int n = x.Length, i = 0;
        bool store = !exps.IsEmpty;
        var m = Vector512.Create(mu);
        var shift = Vector512.Create(minSquare);
        var f = Vector512.Create(factor);
        ref float xs = ref MemoryMarshal.GetReference(x);
        ref float es = ref MemoryMarshal.GetReference(exps);
        while (i <= n - Group)
        {
            Vector512<float> blockE = default, blockED = default, blockED2 = default;
            int blockEnd = Math.Min(n - Group, i + (Block - 1) * Group);
            for (; i <= blockEnd; i += Group)
            {
                Vector512<float> d = Vector512.LoadUnsafe(ref xs, (nuint)i) - m;
                Vector512<float> e = ExpNonPositive((shift - d * d) * f);
                if (store) e.StoreUnsafe(ref es, (nuint)i);
                blockE += e;
                if (weighted)
                {
                    Vector512<float> ed = e * d;
                    blockED += ed;
                    blockED2 += ed * d;
                }
            }
            Add(sumE, blockE);
            if (weighted)
            {
                Add(sumED, blockED);
                Add(sumED2, blockED2);
            }
        }
        return i;
    }

    // Exponentials512 with two 256-bit vectors per group (lanes 0–7 and 8–15), to the same bits.
    private static int Exponentials256(ReadOnlySpan<float> x, float mu, float minSquare, float factor, Span<float> exps, bool weighted,
                                       Span<double> sumE, Span<double> sumED, Span<double> sumED2)
    {
        int n = x.Length, i = 0;
        bool store = !exps.IsEmpty;
        var m = Vector256.Create(mu);
        var shift = Vector256.Create(minSquare);
        var f = Vector256.Create(factor);
        ref float xs = ref MemoryMarshal.GetReference(x);
        ref float es = ref MemoryMarshal.GetReference(exps);
        while (i <= n - Group)
        {
            Vector256<float> blockE0 = default, blockED0 = default, blockED20 = default;
            Vector256<float> blockE1 = default, blockED1 = default, blockED21 = default;
            int blockEnd = Math.Min(n - Group, i + (Block - 1) * Group);
            for (; i <= blockEnd; i += Group)
            {
                Vector256<float> d0 = Vector256.LoadUnsafe(ref xs, (nuint)i) - m;
                Vector256<float> d1 = Vector256.LoadUnsafe(ref xs, (nuint)(i + 8)) - m;
                Vector256<float> e0 = ExpNonPositive((shift - d0 * d0) * f);
                Vector256<float> e1 = ExpNonPositive((shift - d1 * d1) * f);
                if (store)
                {
                    e0.StoreUnsafe(ref es, (nuint)i);
                    e1.StoreUnsafe(ref es, (nuint)(i + 8));
                }
                blockE0 += e0;
                blockE1 += e1;
                if (weighted)
                {
                    Vector256<float> ed0 = e0 * d0, ed1 = e1 * d1;
                    blockED0 += ed0;
                    blockED1 += ed1;
                    blockED20 += ed0 * d0;
                    blockED21 += ed1 * d1;
                }
            }
            Add(sumE, blockE0, blockE1);
            if (weighted)
            {
                Add(sumED, blockED0, blockED1);
                Add(sumED2, blockED20, blockED21);
            }
        }
        return i;
    }

    /// <summary>Σ a·b, the products in float32, summed in float64 in the canonical lanes.</summary>
    public static double Dot(ReadOnlySpan<float> a, ReadOnlySpan<float> b)
    {
        int n = a.Length, i = 0;
        Span<double> lanes = stackalloc double[Group];
        ref float xs = ref MemoryMarshal.GetReference(a);
        ref float ys = ref MemoryMarshal.GetReference(b);
        if (UseVector512)
        {
            Vector512<double> sum0 = default, sum1 = default;
            for (; i <= n - Group; i += Group)
            {
                (Vector512<double> low, Vector512<double> high) = Vector512.Widen(Vector512.LoadUnsafe(ref xs, (nuint)i) * Vector512.LoadUnsafe(ref ys, (nuint)i));
                sum0 += low;
                sum1 += high;
            }
            Store(lanes, sum0, sum1);
        }
        else
        {
            Vector256<double> sum0 = default, sum1 = default, sum2 = default, sum3 = default;
            for (; i <= n - Group; i += Group)
            {
                (Vector256<double> p, Vector256<double> q) = Vector256.Widen(Vector256.LoadUnsafe(ref xs, (nuint)i) * Vector256.LoadUnsafe(ref ys, (nuint)i));
                (Vector256<double> r, Vector256<double> s) = Vector256.Widen(Vector256.LoadUnsafe(ref xs, (nuint)(i + 8)) * Vector256.LoadUnsafe(ref ys, (nuint)(i + 8)));
                sum0 += p;
                sum1 += q;
                sum2 += r;
                sum3 += s;
            }
            Store(lanes, sum0, sum1, sum2, sum3);
        }
        double total = InLaneOrder(lanes);
        for (; i < n; i++) total += a[i] * b[i];
        return total;
    }

    // lanes[j] += (double)v[j] for the 16 float32 lanes of a group.
    private static void Add(Span<double> lanes, Vector512<float> v)
    {
        (Vector512<double> low, Vector512<double> high) = Vector512.Widen(v);
        (Vector512.LoadUnsafe(ref MemoryMarshal.GetReference(lanes)) + low).StoreUnsafe(ref MemoryMarshal.GetReference(lanes));
        (Vector512.LoadUnsafe(ref MemoryMarshal.GetReference(lanes), 8) + high).StoreUnsafe(ref MemoryMarshal.GetReference(lanes), 8);
    }

    // lanes[j] += (double)v[j] for a group held as lanes 0–7 (first) and 8–15 (second).
    private static void Add(Span<double> lanes, Vector256<float> first, Vector256<float> second)
    {
        ref double l = ref MemoryMarshal.GetReference(lanes);
        (Vector256<double> a, Vector256<double> b) = Vector256.Widen(first);
        (Vector256<double> c, Vector256<double> d) = Vector256.Widen(second);
        (Vector256.LoadUnsafe(ref l) + a).StoreUnsafe(ref l);
        (Vector256.LoadUnsafe(ref l, 4) + b).StoreUnsafe(ref l, 4);
        (Vector256.LoadUnsafe(ref l, 8) + c).StoreUnsafe(ref l, 8);
        (Vector256.LoadUnsafe(ref l, 12) + d).StoreUnsafe(ref l, 12);
    }

    private static void Store(Span<double> lanes, Vector512<double> low, Vector512<double> high)
    {
        low.CopyTo(lanes);
        high.CopyTo(lanes[8..]);
    }

    private static void Store(Span<double> lanes, Vector256<double> a, Vector256<double> b, Vector256<double> c, Vector256<double> d)
    {
        a.CopyTo(lanes);
        b.CopyTo(lanes[4..]);
        c.CopyTo(lanes[8..]);
        d.CopyTo(lanes[12..]);
    }

    // The canonical lanes added in lane order.
    private static double InLaneOrder(ReadOnlySpan<double> lanes)
    {
        double total = 0;
        foreach (double lane in lanes) total += lane;
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
            if (UseVector512)
            {
                // Element by element the same operations as below, 16 at a time.
                var m16 = Vector512.Create(mu);
                var a16 = Vector512.Create(a);
                var ca16 = Vector512.Create(ca);
                var cb16 = Vector512.Create(cb);
                var g16 = Vector512.Create(total);
                var s16 = Vector512.Create(s);
                for (; i <= end - Group; i += Group)
                {
                    Vector512<float> xv = Vector512.LoadUnsafe(ref xs, (nuint)i);
                    Vector512<float> j = a16 * Vector512.LoadUnsafe(ref es, (nuint)i) * (xv - m16) + ca16 + cb16 * xv;
                    (j * g16 + Vector512.LoadUnsafe(ref gs, (nuint)i) * s16).StoreUnsafe(ref ds, (nuint)i);
                }
            }
            for (; i <= end - 8; i += 8)
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

    /// <summary><see cref="ExpNonPositive(Vector256{float})"/> on 16 lanes: the same operations, so the same bits in every lane.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector512<float> ExpNonPositive(Vector512<float> t)
    {
        const float Log2E = 1.44269504088896341f, Ln2High = 0.693359375f, Ln2Low = -2.12194440e-4f;
        const float RoundingMagic = 12582912f;
        t = Vector512.Max(t, Vector512.Create(-87f));
        Vector512<float> shifted = t * Vector512.Create(Log2E) + Vector512.Create(RoundingMagic);
        Vector512<float> k = shifted - Vector512.Create(RoundingMagic);
        Vector512<float> r = t - k * Vector512.Create(Ln2High) - k * Vector512.Create(Ln2Low);
        Vector512<float> p = Vector512.Create(1.9875691500e-4f);
        p = p * r + Vector512.Create(1.3981999507e-3f);
        p = p * r + Vector512.Create(8.3334519073e-3f);
        p = p * r + Vector512.Create(4.1665795894e-2f);
        p = p * r + Vector512.Create(1.6666665459e-1f);
        p = p * r + Vector512.Create(5.0000001201e-1f);
        p = p * (r * r) + r + Vector512<float>.One;
        Vector512<int> twoToK = Vector512.ShiftLeft(shifted.AsInt32(), 23) + Vector512.Create(127 << 23);
        return p * twoToK.AsSingle();
    }
}
