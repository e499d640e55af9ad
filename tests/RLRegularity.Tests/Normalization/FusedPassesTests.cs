using System.Numerics.Tensors;
using RLRegularity.Normalization;

namespace RLRegularity.Tests.Normalization;

/// <summary>Each fused pass gives bit for bit what the chain of TensorPrimitives calls it replaces gives, at every length
/// the agents use and around the vector widths.</summary>
public sealed class FusedPassesTests
{
    public static TheoryData<int> Lengths => [1, 3, 4, 7, 8, 9, 15, 16, 17, 63, 64, 120, 256, 10_752, 15_360, 15_363];

    private static double[] Values(int n, int seed, double spread)
    {
        var rng = new Random(seed);
        return [.. Enumerable.Range(0, n).Select(_ => (rng.NextDouble() - 0.3) * spread * Math.Pow(10, rng.Next(-3, 3)))];
    }

    private static void AssertBitwiseEqual<T>(ReadOnlySpan<T> expected, ReadOnlySpan<T> actual, string what) where T : IEquatable<T>
    {
        Assert.Equal(expected.Length, actual.Length);
        for (int i = 0; i < expected.Length; i++)
        {
            if (!expected[i].Equals(actual[i])) Assert.Fail($"{what}: element {i} of {expected.Length} is {actual[i]}, the separate passes give {expected[i]}");
        }
    }

    [Theory]
    [MemberData(nameof(Lengths))]
    public void DeviationAndSquareIsSubtractThenMultiply(int n)
    {
        double[] x = Values(n, 1, 5);
        double[] d1 = new double[n], s1 = new double[n], d2 = new double[n], s2 = new double[n];
        TensorPrimitives.Subtract(x, 0.731, d1);
        TensorPrimitives.Multiply(d1, d1, s1);
        FusedPasses.DeviationAndSquare(x, 0.731, d2, s2);
        AssertBitwiseEqual<double>(d1, d2, "deviation");
        AssertBitwiseEqual<double>(s1, s2, "square");
    }

    [Theory]
    [MemberData(nameof(Lengths))]
    public void ShiftScaleExpIsAddMultiplyExpWhereTheWidthsMatch(int n)
    {
        // RN's use: squared deviations, shifted by their minimum, times −1/(2σ²), exponentiated. Deviations up to 27σ
        // here: TensorPrimitives' Exp computes a whole vector another way when one of its lanes is beyond ±708 (an
        // outlier of 37σ), so there, and only there, its results depend on how the array is aligned.
        var rng = new Random(2);
        double[] square = [.. Enumerable.Range(0, n).Select(_ => Math.Pow((rng.NextDouble() - 0.5) * 20, 2))];
        double min = square.Min(), factor = -1 / (2 * 0.37 * 0.37);
        double[] expected = (double[])square.Clone(), actual = (double[])square.Clone();
        TensorPrimitives.Add(expected, -min, expected);
        TensorPrimitives.Multiply(expected, factor, expected);
        TensorPrimitives.Exp(expected, expected);
        if (!FusedPasses.ExpMatches(n))
        {
            Assert.Throws<ArgumentException>(() => FusedPasses.ShiftScaleExp(actual, -min, factor));
            return;
        }
        FusedPasses.ShiftScaleExp(actual, -min, factor);
        AssertBitwiseEqual<double>(expected, actual, "exp");
    }

    [Fact]
    public void TheExponentialDoesNotDependOnWhereTheArrayLies()
    {
        // With lanes beyond ±708 (an outlier 37σ out), TensorPrimitives' Exp rounds a whole vector differently, and
        // which elements share a vector depends on the destination's alignment: the same input at another offset can
        // give other bits. The fused pass goes through an aligned buffer, so any offset gives the same result.
        const int n = 15_360;
        var rng = new Random(7);
        double[] square = [.. Enumerable.Range(0, n).Select(i => i % 97 == 0 ? 1e6 * rng.NextDouble() : Math.Pow((rng.NextDouble() - 0.5) * 20, 2))];
        double[]? reference = null;
        bool offsetsDifferUnfused = false;
        double[]? unfusedReference = null;
        for (int offset = 0; offset < 8; offset++)
        {
            double[] backing = new double[n + 8];
            Span<double> values = backing.AsSpan(offset, n);
            square.CopyTo(values);
            Span<double> plain = new double[n + 8].AsSpan(offset, n);
            square.CopyTo(plain);
            TensorPrimitives.Multiply(plain, -0.5, plain);
            TensorPrimitives.Exp(plain, plain);
            unfusedReference ??= plain.ToArray();
            offsetsDifferUnfused |= !plain.SequenceEqual(unfusedReference);

            FusedPasses.ShiftScaleExp(values, 0, -0.5);
            reference ??= values.ToArray();
            AssertBitwiseEqual<double>(reference, values, $"offset {offset}");
        }
        // The premise: on plain arrays the offsets do give different bits (if a TensorPrimitives update ends that, this
        // test no longer exercises anything and the buffer may go).
        Assert.True(offsetsDifferUnfused, "TensorPrimitives.Exp no longer depends on the destination's alignment");
    }

    [Theory]
    [MemberData(nameof(Lengths))]
    public void ScaledProductIsTwoMultiplies(int n)
    {
        double[] w = Values(n, 3, 1), d = Values(n, 4, 2);
        double[] expected = new double[n], actual = new double[n], normalized = (double[])w.Clone();
        double scale = 1 / 12.345;
        TensorPrimitives.Multiply(normalized, scale, normalized);
        TensorPrimitives.Multiply(normalized, d, expected);
        FusedPasses.ScaledProduct(w, scale, d, actual);
        AssertBitwiseEqual<double>(expected, actual, "product");
    }

    [Theory]
    [MemberData(nameof(Lengths))]
    public void JacobianIsScaleMultiplyAddAddAndConvert(int n)
    {
        double[] q = Values(n, 5, 1), x = Values(n, 6, 4);
        const double alpha = -3.7, cb = 0.0123, ca = -0.456;
        double[] folded = (double[])q.Clone();
        TensorPrimitives.Multiply(folded, alpha, folded);
        TensorPrimitives.MultiplyAdd(x, cb, folded, folded);
        TensorPrimitives.Add(folded, ca, folded);
        float[] expected = new float[n], actual = new float[n];
        TensorPrimitives.ConvertTruncating<double, float>(folded, expected);
        FusedPasses.Jacobian<float>(q, alpha, x, cb, ca, actual);
        AssertBitwiseEqual<float>(expected, actual, "float jacobian");
        double[] expectedDouble = (double[])folded.Clone(), actualDouble = new double[n];
        FusedPasses.Jacobian<double>(q, alpha, x, cb, ca, actualDouble);
        AssertBitwiseEqual<double>(expectedDouble, actualDouble, "double jacobian");
    }
}
