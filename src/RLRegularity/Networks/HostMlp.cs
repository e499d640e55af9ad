using RLRegularity.Normalization;
using RLRegularity.Tensors;
using TorchSharp;
using static TorchSharp.torch;
using TensorPrimitives = System.Numerics.Tensors.TensorPrimitives;

namespace RLRegularity.Networks;

/// <summary>
/// An <see cref="Mlp"/>'s forward pass computed in C# on the module's own parameter memory, for forwards that record no
/// graph (acting, rollouts, bootstrap values).
/// </summary>
/// <remarks>
/// Why: a batch-1 forward of a 64-64 network is a few thousand multiply-adds, while each libtorch op costs several
/// microseconds of dispatch; at these sizes the C# pass is about ten times faster. Parameters are read from the tensors
/// at every call (never copied), so optimizer steps and loaded checkpoints are seen at once. RN-family layers run their
/// own state machine (<see cref="RegularityNormalization.ForwardInPlace"/>) with the same mode rules as their forward.
/// Batch norm and weight normalization have no host form: <see cref="TryCreate(Mlp)"/> returns null and callers use the
/// module. Results equal the module's up to float32 rounding (summation order).
/// </remarks>
public sealed class HostMlp
{
    private readonly ILayer[] _layers;
    private readonly int _widest;
    private float[] _current = [];
    private float[] _next = [];

    private HostMlp(ILayer[] layers, int inputSize, int outputSize)
    {
        _layers = layers;
        _widest = Math.Max(inputSize, layers.OfType<LinearLayer>().Select(l => l.Outputs).DefaultIfEmpty(0).Max());
        InputSize = inputSize;
        OutputSize = outputSize;
    }

    /// <summary>Input features per row.</summary>
    public int InputSize { get; }

    /// <summary>Output units per row.</summary>
    public int OutputSize { get; }

    /// <summary>The host form of <paramref name="network"/>, or null when one of its layers has none (bn, wn, float64 networks).</summary>
    public static HostMlp? TryCreate(Mlp network) => TryCreate(network, out _);

    /// <summary>As <see cref="TryCreate(Mlp)"/>; when there is no host form, <paramref name="reason"/> says which layer or
    /// dtype prevents it (null otherwise), so a caller falling back to libtorch can say why instead of slowing down silently.</summary>
    public static HostMlp? TryCreate(Mlp network, out string? reason)
    {
        ArgumentNullException.ThrowIfNull(network);
        reason = null;
        if (network.Spec.Options.DType != ScalarType.Float32)
        {
            reason = $"the network computes in {network.Spec.Options.DType} and the host form only in Float32";
            return null;
        }
        double epsilon = network.Spec.Options.LayerNormEpsilon;
        var layers = new List<ILayer>();
        foreach (nn.Module module in network.Layers)
        {
            switch (module)
            {
                case TorchSharp.Modules.Linear linear:
                    layers.Add(new LinearLayer(linear));
                    break;
                case TorchSharp.Modules.Tanh:
                    layers.Add(new TanhLayer());
                    break;
                case TorchSharp.Modules.ReLU:
                    layers.Add(new ReluLayer());
                    break;
                case TorchSharp.Modules.Identity:
                    break;
                case TorchSharp.Modules.LayerNorm norm:
                    layers.Add(new LayerNormLayer(norm, epsilon));
                    break;
                case RegularityNormalization regularity:
                    layers.Add(new RegularityLayer(regularity));
                    break;
                case LayerThenRegularity pair:
                    ILayer normHalf = new LayerNormLayer(pair.LayerNorm, epsilon), regularityHalf = new RegularityLayer(pair.Regularity);
                    layers.AddRange(pair.RegularityFirst ? [regularityHalf, normHalf] : [normHalf, regularityHalf]);
                    break;
                default:
                    reason = $"its {module.GetType().Name} layers (normalizer '{Normalizers.Name(network.Spec.Normalizer)}') have no host form";
                    return null;
            }
        }
        return new HostMlp([.. layers], network.Spec.InputSize, network.Spec.OutputSize);
    }

    /// <summary>
    /// Forwards <paramref name="rows"/> inputs (row-major [rows, InputSize]) into <paramref name="output"/> ([rows,
    /// OutputSize]). RN layers update their state exactly as a forward of the module in its current mode would.
    /// </summary>
    public void Forward(ReadOnlySpan<float> input, int rows, Span<float> output)
    {
        if (rows <= 0) throw new ArgumentOutOfRangeException(nameof(rows), rows, "at least one row");
        if (input.Length != rows * InputSize) throw new ArgumentException($"expected {rows} × {InputSize} inputs, got {input.Length}", nameof(input));
        if (output.Length != rows * OutputSize) throw new ArgumentException($"expected room for {rows} × {OutputSize} outputs, got {output.Length}", nameof(output));
        int width = InputSize;
        EnsureCapacity(rows * _widest);
        input.CopyTo(_current);
        foreach (ILayer layer in _layers)
        {
            width = layer.Apply(_current, _next, rows, width, out bool swapped);
            if (swapped) (_current, _next) = (_next, _current);
        }
        _current.AsSpan(0, rows * OutputSize).CopyTo(output);
    }

    private void EnsureCapacity(int length)
    {
        if (_current.Length >= length) return;
        _current = new float[length];
        _next = new float[length];
    }

    // One layer: reads [rows, width] from source and writes either in place (swapped false) or into destination.
    private interface ILayer
    {
        int Apply(float[] source, float[] destination, int rows, int width, out bool swapped);
    }

    private sealed class LinearLayer(TorchSharp.Modules.Linear linear) : ILayer
    {
        public int Outputs { get; } = (int)linear.weight!.shape[0];

        public int Apply(float[] source, float[] destination, int rows, int width, out bool swapped)
        {
            ReadOnlySpan<float> weight = TensorMemory.Span<float>(linear.weight!);
            if (weight.Length != Outputs * width) throw new InvalidOperationException($"a linear layer of {weight.Length} weights got {width} inputs");
            // The module's own parameter objects: read, never disposed.
            ReadOnlySpan<float> bias = linear.bias is { } b ? TensorMemory.Span<float>(b) : [];
            for (int r = 0; r < rows; r++)
            {
                ReadOnlySpan<float> x = source.AsSpan(r * width, width);
                Span<float> y = destination.AsSpan(r * Outputs, Outputs);
                for (int o = 0; o < Outputs; o++)
                    y[o] = TensorPrimitives.Dot(weight.Slice(o * width, width), x) + (bias.IsEmpty ? 0f : bias[o]);
            }
            swapped = true;
            return Outputs;
        }
    }

    private sealed class TanhLayer : ILayer
    {
        public int Apply(float[] source, float[] destination, int rows, int width, out bool swapped)
        {
            Span<float> x = source.AsSpan(0, rows * width);
            TensorPrimitives.Tanh(x, x);
            swapped = false;
            return width;
        }
    }

    private sealed class ReluLayer : ILayer
    {
        public int Apply(float[] source, float[] destination, int rows, int width, out bool swapped)
        {
            Span<float> x = source.AsSpan(0, rows * width);
            TensorPrimitives.Max(x, 0f, x);
            swapped = false;
            return width;
        }
    }

    private sealed class LayerNormLayer(TorchSharp.Modules.LayerNorm norm, double epsilon) : ILayer
    {
        public int Apply(float[] source, float[] destination, int rows, int width, out bool swapped)
        {
            ReadOnlySpan<float> weight = norm.weight is { } w ? TensorMemory.Span<float>(w) : [];
            ReadOnlySpan<float> bias = norm.bias is { } b ? TensorMemory.Span<float>(b) : [];
            for (int r = 0; r < rows; r++)
            {
                Span<float> x = source.AsSpan(r * width, width);
                double mean = 0;
                foreach (float v in x) mean += v;
                mean /= width;
                double variance = 0;
                foreach (float v in x) variance += (v - mean) * (v - mean);
                variance /= width; // biased, as LayerNorm
                double inverse = 1 / Math.Sqrt(variance + epsilon);
                for (int i = 0; i < width; i++)
                {
                    double normalized = (x[i] - mean) * inverse;
                    x[i] = (float)(normalized * (weight.IsEmpty ? 1 : weight[i]) + (bias.IsEmpty ? 0 : bias[i]));
                }
            }
            swapped = false;
            return width;
        }
    }

    private sealed class RegularityLayer(RegularityNormalization rn) : ILayer
    {
        public int Apply(float[] source, float[] destination, int rows, int width, out bool swapped)
        {
            rn.ForwardInPlace(source.AsSpan(0, rows * width), rows);
            swapped = false;
            return width;
        }
    }
}
