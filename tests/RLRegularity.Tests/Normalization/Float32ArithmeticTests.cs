using System.Runtime.Intrinsics;
using RLRegularity.Normalization;
using TorchSharp;
using static TorchSharp.torch;

namespace RLRegularity.Tests.Normalization;

/// <summary>
/// RN's fast arithmetic (float32 passes, our own exponential) against the reference arithmetic (float64 TensorPrimitives)
/// on the same calls: the same statistics, code lengths, outputs and input gradients to float32's precision, the exact
/// shift where the cheap one would underflow, and results that depend on the inputs only.
/// </summary>
public sealed class Float32ArithmeticTests
{
    private static readonly NormalizerOptions Fast = NormalizerOptions.Default with { Arithmetic = RegularityArithmetic.Fast };
    private static readonly NormalizerOptions Reference = NormalizerOptions.Default with { Arithmetic = RegularityArithmetic.Reference };

    [Fact]
    public void TheExponentialIsWithinTwoUlpOfMathExp()
    {
        // Every 2^-12 over [-87, 0] and the ends: relative error against the float64 exponential.
        double worst = 0;
        float[] ts = [.. Enumerable.Range(0, 87 * 4096 + 1).Select(i => -i / 4096f)];
        for (int i = 0; i + 8 <= ts.Length; i += 8)
        {
            Vector256<float> e = Float32Passes.ExpNonPositive(Vector256.Create(ts, i));
            for (int lane = 0; lane < 8; lane++)
            {
                double exact = Math.Exp(ts[i + lane]);
                worst = Math.Max(worst, Math.Abs(e.GetElement(lane) - exact) / exact);
            }
        }
        Assert.True(worst < 1.5e-7, $"largest relative error {worst:E3}, more than 1.5e-7");
        Assert.Equal(1f, Float32Passes.ExpNonPositive(Vector256<float>.Zero).GetElement(0));
        // Below −87 the result is e^−87's, not a denormal or a zero (RN's largest term is 1: these never matter).
        float clamped = Float32Passes.ExpNonPositive(Vector256.Create(-1000f)).GetElement(0);
        Assert.True(clamped > 0 && float.IsNormal(clamped), $"e^-1000 gave {clamped}");
    }

    [Fact]
    public void SumsDependOnTheValuesNotOnWhereTheArrayLies()
    {
        var rng = new Random(3);
        float[] values = [.. Enumerable.Range(0, 15_363).Select(_ => (float)(rng.NextDouble() * 6 - 2))];
        (double, double, double)? first = null;
        for (int offset = 0; offset < 9; offset++)
        {
            var padded = new float[values.Length + offset];
            values.CopyTo(padded, offset);
            var sums = Float32Passes.Exponentials(padded.AsSpan(offset), 0.4f, 0f, 0.3f, [], weighted: true);
            first ??= sums;
            Assert.Equal(first.Value, sums);
        }
    }

    public static TheoryData<int> Lengths => [1, 8, 15, 16, 17, 120, 256, 257, 4_112, 8_192, 15_360, 15_363];

    [Theory]
    [MemberData(nameof(Lengths))]
    public void BothVectorWidthsGiveTheSameBits(int n)
    {
        // The canonical 16-lane layout: 512-bit vectors, or pairs of 256-bit ones, sum every lane in the same order.
        var rng = new Random(n);
        float[] x = [.. Enumerable.Range(0, n).Select(_ => (float)(rng.NextDouble() * 5 - 1))];
        float[] g = [.. Enumerable.Range(0, n).Select(_ => (float)(rng.NextDouble() - 0.5))];
        object Run()
        {
            float[] exps = new float[n], dx = new float[n];
            var stats = Float32Passes.ShiftedSums(x);
            var sums = Float32Passes.Exponentials(x, 0.7f, 0.01f, 0.2f, exps, weighted: true);
            double dot = Float32Passes.Dot(g, x);
            Float32Passes.InputGradient(x, g, exps, 1, 3.5f, [], 0.7f, 0.01f, -0.2f, 0.003f, (float)dot, dx);
            return (stats, sums, dot, string.Join(",", exps.Select(BitConverter.SingleToInt32Bits)), string.Join(",", dx.Select(BitConverter.SingleToInt32Bits)));
        }
        bool original = Float32Passes.UseVector512;
        try
        {
            Float32Passes.UseVector512 = true;
            object wide = Run();
            Float32Passes.UseVector512 = false;
            object narrow = Run();
            Assert.Equal(wide, narrow);
        }
        finally
        {
            Float32Passes.UseVector512 = original;
        }
        // And the sums are the canonical order itself, written out element by element.
        var lanes = new double[16];
        var squares = new double[16];
        int full = n / 16 * 16;
        for (int i = 0; i < full; i++)
        {
            double d = x[i] - (double)x[0];
            lanes[i % 16] += d;
            squares[i % 16] += d * d;
        }
        double sum = 0, sumOfSquares = 0;
        for (int j = 0; j < 16; j++)
        {
            sum += lanes[j];
            sumOfSquares += squares[j];
        }
        for (int i = full; i < n; i++)
        {
            double d = x[i] - (double)x[0];
            sum += d;
            sumOfSquares += d * d;
        }
        Assert.Equal((x[0], sum, sumOfSquares), Float32Passes.ShiftedSums(x));
    }

    public static TheoryData<string> Variants => ["default", "exact-merge", "complexity-decay", "half-life", "prior", "stop-gradient"];

    private static (NormalizerOptions Options, bool Prior) Variant(string name, NormalizerOptions arithmetic) => name switch
    {
        "default" => (arithmetic, false),
        "exact-merge" => (arithmetic with { HistoryMerge = HistoryMerge.Exact }, false),
        "complexity-decay" => (arithmetic with { ComplexityDecay = 0.95 }, false),
        "half-life" => (arithmetic with { HistoryHalfLife = 50_000 }, false),
        "prior" => (arithmetic with { PriorStrength = 0.7 }, true),
        "stop-gradient" => (arithmetic with { StopGradientThroughCodeLength = true }, false),
        _ => throw new ArgumentException(name),
    };

    [Theory]
    [MemberData(nameof(Variants))]
    public void FastArithmeticAgreesWithTheReference(string variant)
    {
        TorchRuntime.Initialize(1);
        (NormalizerOptions fastOptions, bool prior) = Variant(variant, Fast);
        (NormalizerOptions referenceOptions, _) = Variant(variant, Reference);
        using var fast = new RegularityNormalization("h", 120, fastOptions, acceptsPrior: prior);
        using var reference = new RegularityNormalization("h", 120, referenceOptions, acceptsPrior: prior);
        var rng = new Random(7);
        for (int call = 0; call < 40; call++)
        {
            // Drifting, skewed activations (ReLU-like half the time), training calls with a gradient, then eval calls.
            bool train = call < 32;
            fast.train(train);
            reference.train(train);
            int rows = call % 5 == 4 ? 1 : 128;
            float[] values = Batch(rng, rows * 120, shift: call * 0.05, relu: call % 2 == 0);
            if (prior)
            {
                double[] s = [.. Enumerable.Range(0, rows).Select(r => r % 3 == 0 ? 0.25 : 0.75)];
                fast.SetPrior(tensor(s));
                reference.SetPrior(tensor(s));
            }
            var (yFast, gFast) = ForwardBackward(fast, values, rows, train);
            var (yReference, gReference) = ForwardBackward(reference, values, rows, train);
            RegularitySnapshot a = fast.Snapshot(), b = reference.Snapshot();
            string where = $"{variant}, call {call}";
            AssertClose(b.Mean, a.Mean, 1e-6, where + ": mean");
            AssertClose(b.Std, a.Std, 1e-6, where + ": std");
            AssertClose(b.Comp, a.Comp, 1e-6, where + ": COMP");
            AssertClose(b.CodeLength!.Value, a.CodeLength!.Value, 1e-5, where + ": code length");
            AssertClose(b.CodeLengthBatchMean!.Value, a.CodeLengthBatchMean!.Value, 1e-5, where + ": batch mean of l");
            AssertArraysClose(yReference, yFast, 1e-5, where + ": output");
            if (gReference is not null) AssertArraysClose(gReference, gFast!, 2e-4, where + ": input gradient");
        }
    }

    [Fact]
    public void ABatchFarFromTheHistoryUsesTheExactShift()
    {
        // 30 calls of N(0, 1), then a batch 10,000σ away: the unshifted exponentials would all be e^−87; the exact shift
        // (the smallest squared deviation) keeps the code length finite and equal to the reference arithmetic's.
        TorchRuntime.Initialize(1);
        using var fast = new RegularityNormalization("h", 64, Fast);
        using var reference = new RegularityNormalization("h", 64, Reference);
        var rng = new Random(11);
        for (int call = 0; call < 31; call++)
        {
            float[] values = Batch(rng, 128 * 64, shift: call == 30 ? 10_000 : 0, relu: false);
            using var x = tensor(values, [128, 64]);
            using var yFast = fast.forward(x);
            using var yReference = reference.forward(x);
        }
        RegularitySnapshot a = fast.Snapshot(), b = reference.Snapshot();
        Assert.True(double.IsFinite(a.CodeLength!.Value), $"code length {a.CodeLength}");
        AssertClose(b.CodeLength!.Value, a.CodeLength.Value, 1e-5, "code length after the far batch");
        AssertClose(b.Comp, a.Comp, 1e-6, "COMP after the far batch");
    }

    [Fact]
    public void ABackwardAfterTheLayersNextCallComputesItsExponentialsAgain()
    {
        // The exponentials a backward reads live in the layer's scratch until its next call of the same size; a graph
        // kept past that call (retain_graph, or two forwards before one backward) must give the same gradient.
        TorchRuntime.Initialize(1);
        var rng = new Random(5);
        float[] first = Batch(rng, 128 * 64, 0, true), second = Batch(rng, 128 * 64, 1, true);
        float[] immediate, late;
        using (var layer = new RegularityNormalization("h", 64, Fast))
        {
            immediate = ForwardBackward(layer, first, 128, train: true).Gradient!;
        }
        using (var layer = new RegularityNormalization("h", 64, Fast))
        {
            using var x1 = tensor(first, [128, 64]).requires_grad_(true);
            using var y1 = layer.forward(x1);
            using var x2 = tensor(second, [128, 64]).requires_grad_(true);
            using var y2 = layer.forward(x2);
            using var loss = (y1 * Weights(y1.shape)).sum();
            loss.backward();
            late = Floats(x1.grad!);
        }
        Assert.Equal(immediate, late);
    }

    [Fact]
    public void PerUnitRnAndFloat64ActivationsKeepTheReferenceArithmetic()
    {
        // The fast form serves scalar RN on float32 only; rln and float64 layers give the reference's bits whatever the option.
        TorchRuntime.Initialize(1);
        var rng = new Random(9);
        float[] values = Batch(rng, 128 * 16, 0, false);
        foreach (bool perUnit in new[] { true, false })
        {
            ScalarType dtype = perUnit ? ScalarType.Float32 : ScalarType.Float64;
            using var a = new RegularityNormalization("h", 16, Fast with { DType = dtype }, perUnit: perUnit);
            using var b = new RegularityNormalization("h", 16, Reference with { DType = dtype }, perUnit: perUnit);
            using var x = tensor(values, [128, 16]).to(dtype);
            using var ya = a.forward(x);
            using var yb = b.forward(x);
            Assert.True(ya.equal(yb).all().item<bool>(), perUnit ? "rln" : "float64 rn");
        }
    }

    private static float[] Batch(Random rng, int n, double shift, bool relu) =>
        [.. Enumerable.Range(0, n).Select(_ =>
        {
            double v = shift + Math.Sqrt(-2 * Math.Log(1 - rng.NextDouble())) * Math.Cos(2 * Math.PI * rng.NextDouble());
            return (float)(relu ? Math.Max(v, 0) : v);
        })];

    // Fixed output weights, so the loss's gradient reaches every element differently.
    private static Tensor Weights(long[] shape) => linspace(-1, 2, shape[0] * shape[1]).reshape(shape);

    private static (float[] Output, float[]? Gradient) ForwardBackward(RegularityNormalization layer, float[] values, int rows, bool train)
    {
        using var scope = NewDisposeScope();
        Tensor x = tensor(values, [rows, values.Length / rows]).requires_grad_(train);
        Tensor y = layer.forward(x);
        float[] output = Floats(y.detach());
        if (!train) return (output, null);
        (y * Weights(y.shape)).sum().backward();
        return (output, Floats(x.grad!));
    }

    private static float[] Floats(Tensor t)
    {
        using Tensor c = t.detach().contiguous();
        return c.data<float>().ToArray();
    }

    private static void AssertClose(double expected, double actual, double relative, string what)
    {
        double tolerance = relative * Math.Max(1, Math.Abs(expected));
        if (!(Math.Abs(expected - actual) <= tolerance)) Assert.Fail($"{what}: fast {actual:R}, reference {expected:R}");
    }

    private static void AssertArraysClose(float[] expected, float[] actual, double relative, string what)
    {
        Assert.Equal(expected.Length, actual.Length);
        double scale = expected.Max(v => Math.Abs((double)v));
        for (int i = 0; i < expected.Length; i++)
        {
            if (!(Math.Abs(expected[i] - actual[i]) <= relative * Math.Max(scale, 1e-30)))
                Assert.Fail($"{what}: element {i}: fast {actual[i]:R}, reference {expected[i]:R} (largest magnitude {scale:R})");
        }
    }
}
