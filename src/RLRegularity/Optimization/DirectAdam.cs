using System.Numerics;
using RLRegularity.Normalization;
using RLRegularity.Tensors;
using TorchSharp;
using static TorchSharp.torch;
using TensorPrimitives = System.Numerics.Tensors.TensorPrimitives;

namespace RLRegularity.Optimization;

/// <summary>
/// Adam (Kingma and Ba, 2015; PyTorch's formulation without weight decay or AMSGrad) and global gradient-norm clipping,
/// computed in C# directly on the parameters' and gradients' CPU memory.
/// </summary>
/// <remarks>
/// Why not <c>torch.optim.Adam</c>: for the small networks of classic control, its per-parameter libtorch calls (about
/// seven per tensor, each allocating wrappers and native scalars) cost more than the arithmetic. Here the moments live
/// in managed arrays and one SIMD pass per tensor does the whole update, so a step costs a few native calls per tensor.
/// The update is PyTorch's: m ← β₁m + (1−β₁)g; v ← β₂v + (1−β₂)g²; p ← p − (lr / (1−β₁ᵗ)) · m / (√v / √(1−β₂ᵗ) + ε).
/// Parameters must be contiguous float32 or float64 CPU tensors.
/// </remarks>
public sealed class DirectAdam
{
    private readonly TorchSharp.Modules.Parameter[] _parameters;
    private readonly Array[] _firstMoments;
    private readonly Array[] _secondMoments;

    /// <summary>Adam over <paramref name="parameters"/> (each listed once) with the given hyperparameters.</summary>
    public DirectAdam(IEnumerable<TorchSharp.Modules.Parameter> parameters, double learningRate, double beta1 = 0.9, double beta2 = 0.999, double epsilon = 1e-8)
    {
        ArgumentNullException.ThrowIfNull(parameters);
        if (!(learningRate >= 0)) throw new ArgumentOutOfRangeException(nameof(learningRate), learningRate, "the learning rate must be non-negative");
        if (!(beta1 is >= 0 and < 1)) throw new ArgumentOutOfRangeException(nameof(beta1), beta1, "β₁ must be in [0, 1)");
        if (!(beta2 is >= 0 and < 1)) throw new ArgumentOutOfRangeException(nameof(beta2), beta2, "β₂ must be in [0, 1)");
        if (!(epsilon >= 0)) throw new ArgumentOutOfRangeException(nameof(epsilon), epsilon, "ε must be non-negative");
        _parameters = parameters.ToArray();
        if (_parameters.Distinct().Count() != _parameters.Length) throw new ArgumentException("a parameter is listed twice", nameof(parameters));
        _firstMoments = new Array[_parameters.Length];
        _secondMoments = new Array[_parameters.Length];
        for (int i = 0; i < _parameters.Length; i++)
        {
            var p = _parameters[i];
            if (p.device_type != DeviceType.CPU || !p.is_contiguous())
                throw new ArgumentException($"parameter {i} must be a contiguous CPU tensor", nameof(parameters));
            int n = checked((int)p.numel());
            (_firstMoments[i], _secondMoments[i]) = p.dtype switch
            {
                ScalarType.Float32 => ((Array)new float[n], (Array)new float[n]),
                ScalarType.Float64 => (new double[n], new double[n]),
                _ => throw new ArgumentException($"parameter {i} is {p.dtype}; Adam here updates float32 or float64 tensors", nameof(parameters)),
            };
        }
        LearningRate = learningRate;
        Beta1 = beta1;
        Beta2 = beta2;
        Epsilon = epsilon;
    }

    /// <summary>The learning rate of the next step (annealing schedules set it before each update).</summary>
    public double LearningRate { get; set; }

    /// <summary>Decay of the first moment.</summary>
    public double Beta1 { get; }

    /// <summary>Decay of the second moment.</summary>
    public double Beta2 { get; }

    /// <summary>Added to the bias-corrected root of the second moment.</summary>
    public double Epsilon { get; }

    /// <summary>Steps taken (PyTorch keeps one count per parameter; every parameter here steps together).</summary>
    public long StepCount { get; private set; }

    /// <summary>The parameters, in the order given.</summary>
    public IReadOnlyList<TorchSharp.Modules.Parameter> Parameters => _parameters;

    /// <summary>Drops every gradient (PyTorch's <c>zero_grad(set_to_none=True)</c>): the next backward allocates fresh ones.</summary>
    public void ZeroGrad()
    {
        foreach (var p in _parameters) p.grad = null;
    }

    /// <summary>The factor the last <see cref="ClipGradNorm"/> multiplied the gradients by (1 if it left them, or if
    /// there was none): what divides a clipped gradient back to the one the backward gave.</summary>
    public double LastClipCoefficient { get; private set; } = 1;

    /// <summary>
    /// Scales the gradients so that their global L2 norm is at most <paramref name="maxNorm"/> and returns the norm
    /// before scaling, as <c>torch.nn.utils.clip_grad_norm_</c> (coefficient maxNorm / (norm + 1e-6), never above 1).
    /// Parameters without a gradient are skipped.
    /// </summary>
    public double ClipGradNorm(double maxNorm)
    {
        if (!(maxNorm > 0)) throw new ArgumentOutOfRangeException(nameof(maxNorm), maxNorm, "the maximum norm must be positive");
        // Each gradient is fetched once (a native call and a wrapper) for both the norm and the scaling.
        Tensor?[] gradients = [.. _parameters.Select(p => p.grad)];
        try
        {
            double sumOfSquares = 0;
            foreach (Tensor? g in gradients)
            {
                if (g is null) continue;
                sumOfSquares += g.dtype == ScalarType.Float32 ? SumOfSquares(TensorMemory.Span<float>(g)) : SumOfSquares(TensorMemory.Span<double>(g));
            }
            double norm = Math.Sqrt(sumOfSquares);
            double coefficient = maxNorm / (norm + 1e-6);
            LastClipCoefficient = Math.Min(1, coefficient);
            if (coefficient < 1)
            {
                foreach (Tensor? g in gradients)
                {
                    if (g is null) continue;
                    if (g.dtype == ScalarType.Float32) TensorPrimitives.Multiply(TensorMemory.Span<float>(g), (float)coefficient, TensorMemory.Span<float>(g));
                    else TensorPrimitives.Multiply(TensorMemory.Span<double>(g), coefficient, TensorMemory.Span<double>(g));
                }
            }
            return norm;
        }
        finally
        {
            foreach (Tensor? g in gradients) g?.Dispose();
        }
    }

    /// <summary>One Adam step on every parameter that has a gradient.</summary>
    public void Step()
    {
        StepCount++;
        double biasCorrection1 = 1 - Math.Pow(Beta1, StepCount);
        double biasCorrection2Sqrt = Math.Sqrt(1 - Math.Pow(Beta2, StepCount));
        double stepSize = LearningRate / biasCorrection1;
        for (int i = 0; i < _parameters.Length; i++)
        {
            var p = _parameters[i];
            using Tensor? g = p.grad;
            if (g is null) continue;
            if (g.dtype != p.dtype || !g.is_contiguous() || g.numel() != p.numel())
                throw new InvalidOperationException($"parameter {i}'s gradient is not a contiguous {p.dtype} tensor of its shape");
            if (p.dtype == ScalarType.Float32)
                Update(TensorMemory.Span<float>(p), TensorMemory.Span<float>(g), (float[])_firstMoments[i], (float[])_secondMoments[i],
                    (float)Beta1, (float)Beta2, (float)stepSize, (float)biasCorrection2Sqrt, (float)Epsilon);
            else
                Update(TensorMemory.Span<double>(p), TensorMemory.Span<double>(g), (double[])_firstMoments[i], (double[])_secondMoments[i],
                    Beta1, Beta2, stepSize, biasCorrection2Sqrt, Epsilon);
        }
    }

    /// <summary>
    /// Zeroes both Adam moments of the slices <paramref name="indices"/> of <paramref name="parameter"/> along
    /// <paramref name="dimension"/>: dimension 0 is a tensor's rows (a unit's incoming weights, or the elements of a 1-D
    /// bias), dimension 1 a 2-D weight's columns (a unit's outgoing weights). Plasticity interventions that re-initialise
    /// some units call it so that stale moments do not push the new weights (Sokar et al., 2023); the step count stays,
    /// as the other parameters keep stepping. Moments of every other element are untouched.
    /// </summary>
    public void ResetMoments(TorchSharp.Modules.Parameter parameter, int dimension, IReadOnlyCollection<int> indices)
    {
        ArgumentNullException.ThrowIfNull(indices);
        int i = IndexOf(parameter);
        long[] shape = parameter.shape;
        if (dimension is not (0 or 1) || (dimension == 1 && shape.Length != 2))
            throw new ArgumentOutOfRangeException(nameof(dimension), dimension, $"moments reset along dimension 0 (rows) or, for a 2-D parameter, 1 (columns); the parameter is [{string.Join(", ", shape)}]");
        int rows = checked((int)shape[0]);
        int rowLength = rows == 0 ? 0 : _firstMoments[i].Length / rows;
        foreach (int index in indices)
        {
            if (index < 0 || index >= shape[dimension])
                throw new ArgumentOutOfRangeException(nameof(indices), index, $"index out of range for dimension {dimension} of [{string.Join(", ", shape)}]");
            if (dimension == 0)
            {
                Array.Clear(_firstMoments[i], index * rowLength, rowLength);
                Array.Clear(_secondMoments[i], index * rowLength, rowLength);
            }
            else
            {
                for (int r = 0; r < rows; r++)
                {
                    Array.Clear(_firstMoments[i], r * rowLength + index, 1);
                    Array.Clear(_secondMoments[i], r * rowLength + index, 1);
                }
            }
        }
    }

    /// <summary>Zeroes both Adam moments of every element of <paramref name="parameter"/> (a re-initialised layer).</summary>
    public void ResetMoments(TorchSharp.Modules.Parameter parameter)
    {
        int i = IndexOf(parameter);
        Array.Clear(_firstMoments[i]);
        Array.Clear(_secondMoments[i]);
    }

    /// <summary>The first and second moments of <paramref name="parameter"/>, as doubles in its row-major order (a copy).</summary>
    public (double[] First, double[] Second) Moments(TorchSharp.Modules.Parameter parameter)
    {
        int i = IndexOf(parameter);
        return (ToDoubles(_firstMoments[i]), ToDoubles(_secondMoments[i]));
    }

    private static double[] ToDoubles(Array values) => values is float[] f ? [.. f.Select(x => (double)x)] : (double[])((double[])values).Clone();

    private int IndexOf(TorchSharp.Modules.Parameter parameter)
    {
        ArgumentNullException.ThrowIfNull(parameter);
        // By native handle: a module may hand out another wrapper of the same tensor.
        int i = Array.FindIndex(_parameters, p => p.Handle == parameter.Handle);
        if (i < 0) throw new ArgumentException("the parameter is not one this optimizer updates", nameof(parameter));
        return i;
    }

    private static void Update<T>(Span<T> parameter, ReadOnlySpan<T> gradient, Span<T> m, Span<T> v, T beta1, T beta2, T stepSize, T correction2Sqrt, T epsilon)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        T oneMinusBeta1 = T.One - beta1, oneMinusBeta2 = T.One - beta2;
        int i = 0;
        if (Vector.IsHardwareAccelerated)
        {
            var b1 = new Vector<T>(beta1);
            var b2 = new Vector<T>(beta2);
            var c1 = new Vector<T>(oneMinusBeta1);
            var c2 = new Vector<T>(oneMinusBeta2);
            var size = new Vector<T>(stepSize);
            var correction = new Vector<T>(correction2Sqrt);
            var eps = new Vector<T>(epsilon);
            for (; i <= parameter.Length - Vector<T>.Count; i += Vector<T>.Count)
            {
                var g = new Vector<T>(gradient[i..]);
                var mi = new Vector<T>(m[i..]) * b1 + g * c1;
                var vi = new Vector<T>(v[i..]) * b2 + g * g * c2;
                mi.CopyTo(m[i..]);
                vi.CopyTo(v[i..]);
                var denominator = Vector.SquareRoot(vi) / correction + eps;
                (new Vector<T>(parameter[i..]) - size * mi / denominator).CopyTo(parameter[i..]);
            }
        }
        for (; i < parameter.Length; i++)
        {
            T g = gradient[i];
            T mi = m[i] * beta1 + g * oneMinusBeta1;
            T vi = v[i] * beta2 + g * g * oneMinusBeta2;
            m[i] = mi;
            v[i] = vi;
            parameter[i] -= stepSize * mi / (T.Sqrt(vi) / correction2Sqrt + epsilon);
        }
    }

    private static double SumOfSquares<T>(ReadOnlySpan<T> values) where T : unmanaged, IFloatingPointIeee754<T>
    {
        // Accumulated in double whatever the element type, so large networks do not lose the small gradients.
        double sum = 0;
        foreach (T x in values)
        {
            double d = double.CreateTruncating(x);
            sum += d * d;
        }
        return sum;
    }

    /// <summary>Writes the step count and both moments of every parameter.</summary>
    public void Save(BinaryWriter writer)
    {
        ArgumentNullException.ThrowIfNull(writer);
        writer.Write("direct-adam/1");
        writer.Write(StepCount);
        writer.Write(_parameters.Length);
        for (int i = 0; i < _parameters.Length; i++)
        {
            WriteArray(writer, _firstMoments[i]);
            WriteArray(writer, _secondMoments[i]);
        }
    }

    /// <summary>Restores what <see cref="Save"/> wrote for the same parameter list; any mismatch is an error naming it.</summary>
    public void Load(BinaryReader reader)
    {
        ArgumentNullException.ThrowIfNull(reader);
        string tag = reader.ReadString();
        if (tag != "direct-adam/1") throw new InvalidDataException($"the optimizer state is '{tag}', not 'direct-adam/1'");
        long steps = reader.ReadInt64();
        int count = reader.ReadInt32();
        if (count != _parameters.Length)
            throw new InvalidDataException($"the optimizer state holds {count} parameters; this network has {_parameters.Length}");
        for (int i = 0; i < count; i++)
        {
            ReadArray(reader, _firstMoments[i], i);
            ReadArray(reader, _secondMoments[i], i);
        }
        StepCount = steps;
    }

    /// <summary>
    /// Takes over the state of a <c>torch.optim.Adam</c> over the same parameters (checkpoints written before this
    /// optimizer existed): its step count and moments.
    /// </summary>
    public void LoadFrom(TorchSharp.Modules.Adam adam)
    {
        ArgumentNullException.ThrowIfNull(adam);
        var states = adam.state_dict().State;
        if (states.Count != _parameters.Length)
            throw new InvalidDataException($"the Adam state holds {states.Count} parameters; this network has {_parameters.Length}");
        long steps = 0;
        for (int i = 0; i < states.Count; i++)
        {
            var state = (TorchSharp.Modules.Adam.State)states[i];
            steps = Math.Max(steps, state.step);
            CopyInto(state.exp_avg, _firstMoments[i], i);
            CopyInto(state.exp_avg_sq, _secondMoments[i], i);
        }
        StepCount = steps;
    }

    private static void CopyInto(Tensor? source, Array destination, int index)
    {
        if (source is null || source.numel() != destination.Length)
            throw new InvalidDataException($"the Adam state of parameter {index} does not match its shape");
        using Tensor converted = source.to(destination is float[] ? ScalarType.Float32 : ScalarType.Float64).contiguous();
        if (destination is float[] f) TensorMemory.Span<float>(converted).CopyTo(f);
        else TensorMemory.Span<double>(converted).CopyTo((double[])destination);
    }

    private static void WriteArray(BinaryWriter writer, Array values)
    {
        writer.Write(values.Length);
        if (values is float[] f) writer.Write(System.Runtime.InteropServices.MemoryMarshal.AsBytes(f.AsSpan()));
        else writer.Write(System.Runtime.InteropServices.MemoryMarshal.AsBytes(((double[])values).AsSpan()));
    }

    private static void ReadArray(BinaryReader reader, Array values, int index)
    {
        int length = reader.ReadInt32();
        if (length != values.Length)
            throw new InvalidDataException($"the optimizer state of parameter {index} has {length} values; the parameter has {values.Length}");
        Span<byte> bytes = values is float[] f
            ? System.Runtime.InteropServices.MemoryMarshal.AsBytes(f.AsSpan())
            : System.Runtime.InteropServices.MemoryMarshal.AsBytes(((double[])values).AsSpan());
        if (reader.Read(bytes) != bytes.Length) throw new EndOfStreamException($"the optimizer state of parameter {index} is truncated");
    }
}
