using BenchmarkDotNet.Attributes;
using BenchmarkDotNet.Engines;
using BenchmarkDotNet.Jobs;
using BenchmarkDotNet.Toolchains.InProcess.Emit;
using RLRegularity.Normalization;
using RLRegularity.Tensors;
using TorchSharp;
using static TorchSharp.torch;

namespace RLRegularity.Benchmarks;

/// <summary>
/// One RN call at PPO's update size (128 × 64 float32 activations, one TorchSharp thread), in each arithmetic, beside
/// what it is measured against: RN's arithmetic alone (the host call), the layer's forward and backward through its
/// gradient node, the same with a native x·2 or a TorchSharp custom function in its place, and the code length's
/// gradient written as native ops. docs/benchmarks.md#the-fast-arithmetic reads these.
/// </summary>
[Config(typeof(Settings))]
public class RegularityCallBenchmarks
{
    private sealed class Settings : BenchmarkDotNet.Configs.ManualConfig
    {
        public Settings() => AddJob(BenchmarkDotNet.Jobs.Job.Default
            .WithToolchain(InProcessEmitToolchain.Instance)
            .WithStrategy(RunStrategy.Throughput)
            .WithWarmupCount(3).WithIterationCount(10).WithLaunchCount(1));
    }

    private const int Rows = 128, Cols = 64;
    private readonly float[] _values = new float[Rows * Cols];
    private readonly float[] _work = new float[Rows * Cols];
    private readonly float[] _jacobian = new float[Rows * Cols];
    private readonly float[] _dqnValues = new float[15_360];
    private readonly float[] _exponentials = new float[15_360];
    private RegularityNormalization _fast = null!, _reference = null!;

    [GlobalSetup]
    public void Setup()
    {
        TorchRuntime.Initialize(1);
        var rng = new Random(1);
        for (int i = 0; i < _values.Length; i++) _values[i] = (float)rng.NextDouble();
        for (int i = 0; i < _dqnValues.Length; i++) _dqnValues[i] = (float)rng.NextDouble();
        for (int i = 0; i < _jacobian.Length; i++) _jacobian[i] = (i % 7) * 1e-4f;
        _fast = new RegularityNormalization("h", Cols, NormalizerOptions.Default with { Arithmetic = RegularityArithmetic.Fast });
        _reference = new RegularityNormalization("h", Cols, NormalizerOptions.Default with { Arithmetic = RegularityArithmetic.Reference });
        // Past the first (initialising) call, as in a run.
        for (int i = 0; i < 3; i++)
        {
            LayerForwardBackward(_fast);
            LayerForwardBackward(_reference);
        }
    }

    [GlobalCleanup]
    public void Cleanup()
    {
        _fast.Dispose();
        _reference.Dispose();
    }

    /// <summary>RN's arithmetic alone, fast: a training call on host memory.</summary>
    [Benchmark]
    public void HostCallFast() => HostCall(_fast);

    /// <summary>RN's arithmetic alone, reference.</summary>
    [Benchmark]
    public void HostCallReference() => HostCall(_reference);

    /// <summary>A tensor, the layer's training forward through its gradient node, a sum and the backward; fast.</summary>
    [Benchmark]
    public void LayerFast() => LayerForwardBackward(_fast);

    /// <summary>The same, reference.</summary>
    [Benchmark]
    public void LayerReference() => LayerForwardBackward(_reference);

    /// <summary>The same with a native x·2 in the layer's place.</summary>
    [Benchmark(Baseline = true)]
    public void NativeScale()
    {
        using var scope = NewDisposeScope();
        Tensor x = Input();
        (x * 2.0f).sum().backward();
    }

    /// <summary>The same with a TorchSharp custom function that computes x·2 forward and g·2 backward.</summary>
    [Benchmark]
    public void CustomFunctionScale()
    {
        using var scope = NewDisposeScope();
        ScaleByTwo.apply(Input()).sum().backward();
    }

    /// <summary>That custom function also saving its input and a context object for the backward, as RN's node does.</summary>
    [Benchmark]
    public void CustomFunctionScaleSaving()
    {
        using var scope = NewDisposeScope();
        ScaleByTwoSaving.apply(Input()).sum().backward();
    }

    /// <summary>The code length's gradient as native ops, without RN's own arithmetic: y = x ⊙ w, w = l + z − stop_gradient(z),
    /// z = Σ J ⊙ x, with J copied into a tensor.</summary>
    [Benchmark]
    public void NativeOpGradient()
    {
        using var scope = NewDisposeScope();
        Tensor x = Input();
        Tensor j = empty(Rows, Cols);
        _jacobian.CopyTo(TensorMemory.Span<float>(j));
        Tensor z = x.reshape(-1).dot(j.reshape(-1));
        Tensor w = (z - z.detach()).add_(3.5f);
        (x * w).sum().backward();
    }

    /// <summary>The fast arithmetic's exponential pass with its three sums over 15,360 values (DQN's 128 × 120), 512-bit vectors.</summary>
    [Benchmark]
    public double Exponentials512() => Exponentials(true);

    /// <summary>The same with pairs of 256-bit vectors.</summary>
    [Benchmark]
    public double Exponentials256() => Exponentials(false);

    private double Exponentials(bool wide)
    {
        bool was = Float32Passes.UseVector512;
        Float32Passes.UseVector512 = wide;
        try
        {
            return Float32Passes.Exponentials(_dqnValues, 0.5f, 0f, 0.3f, _exponentials, weighted: true).SumE;
        }
        finally
        {
            Float32Passes.UseVector512 = was;
        }
    }

    private Tensor Input() => tensor(_values, [Rows, Cols]).requires_grad_(true);

    private void HostCall(RegularityNormalization layer)
    {
        _values.CopyTo(_work, 0);
        layer.ForwardInPlace(_work, Rows);
    }

    private void LayerForwardBackward(RegularityNormalization layer)
    {
        using var scope = NewDisposeScope();
        layer.forward(Input()).sum().backward();
    }

    private sealed class ScaleByTwo : autograd.SingleTensorFunction<ScaleByTwo>
    {
        public override string Name => "ScaleByTwo";
        public override Tensor forward(autograd.AutogradContext ctx, params object[] vars) => (Tensor)vars[0] * 2.0f;
        public override List<Tensor> backward(autograd.AutogradContext ctx, Tensor gradient) => [gradient * 2.0f];
    }

    private sealed class ScaleByTwoSaving : autograd.SingleTensorFunction<ScaleByTwoSaving>
    {
        public override string Name => "ScaleByTwoSaving";

        public override Tensor forward(autograd.AutogradContext ctx, params object[] vars)
        {
            var x = (Tensor)vars[0];
            ctx.save_for_backward([x]);
            ctx.save_data("context", new object());
            return x * 2.0f;
        }

        public override List<Tensor> backward(autograd.AutogradContext ctx, Tensor gradient)
        {
            using Tensor x = ctx.get_saved_variables()[0];
            _ = ctx.get_data("context");
            return [gradient * 2.0f];
        }
    }
}
