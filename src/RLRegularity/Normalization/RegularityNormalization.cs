using TorchSharp;
using RLRegularity.Tensors;
using static TorchSharp.torch;

namespace RLRegularity.Normalization;

/// <summary>
/// Regularity Normalization (Lin, 2022) as specified in SPEC §2–5: each call scores the layer's activations under a
/// Gaussian model of everything the layer has seen (statistics merged before scoring), accumulates the universal-code
/// normalizer COMP, and scales the activations by their code length l = COMP − S (S = the batch's log evidence).
/// One class serves the scalar layer (<c>rn</c>), the per-unit layer (<c>rln</c>: evidence, COMP and l per unit),
/// the reward prior (<c>rnr</c>: l_b = l − β·ln s_b per row) and the probe (<c>probe</c>: the same state machine, y = x).
/// State (μ, σ, n, COMP, counters) is double/Int64, detached after every call, registered as buffers so it is saved and
/// loaded with the model, updated only in training mode.
/// </summary>
public sealed class RegularityNormalization : nn.Module<Tensor, Tensor>, IRegularityLayer
{
    private readonly NormalizerOptions _options;
    private readonly bool _perUnit;
    private readonly bool _probe;
    private readonly bool _acceptsPrior;
    private readonly int _features;

    // Registered state (saved and loaded with the module); mirrored in the fields below for arithmetic.
    private readonly Tensor rn_state;   // [initialized, mean, std, count, non_positive, calls, ref_numel, generation] as double
    private readonly Tensor rn_comp;    // [1] for scalar RN, [D] for per-unit RN

    private bool _initialized;
    private double _mean, _std;
    private long _count, _nonPositive, _calls, _refNumel, _generation;
    private double[] _comp;
    private readonly RegularityScratch _scratch = new();
    private Tensor? _prior;
    private double? _lastCodeLength, _lastBatchMean;

    /// <summary>Creates the layer for <paramref name="features"/> units.</summary>
    /// <param name="layerName">Name in probe logs.</param>
    /// <param name="features">Units D of the [B, D] activations.</param>
    /// <param name="options">Options (SPEC §7).</param>
    /// <param name="perUnit">RLN: one code length per unit.</param>
    /// <param name="probe">Measure only: y = x.</param>
    /// <param name="acceptsPrior">RN with a prior (rnr).</param>
    public RegularityNormalization(string layerName, int features, NormalizerOptions options, bool perUnit = false, bool probe = false, bool acceptsPrior = false)
        : base(layerName)
    {
        if (features <= 0) throw new ArgumentOutOfRangeException(nameof(features), features, "must be positive");
        if (!(options.ComplexityDecay > 0 && options.ComplexityDecay <= 1))
            throw new ArgumentOutOfRangeException(nameof(options), options.ComplexityDecay, "complexity_decay must be in (0, 1]");
        if (!(options.SigmaMin > 0)) throw new ArgumentOutOfRangeException(nameof(options), options.SigmaMin, "sigma_min must be positive");
        if (options.HistoryHalfLife is double h && !(h > 0)) throw new ArgumentOutOfRangeException(nameof(options), h, "history_half_life must be positive");
        LayerName = layerName;
        _options = options;
        _perUnit = perUnit;
        _probe = probe;
        _acceptsPrior = acceptsPrior;
        _features = features;
        _comp = new double[perUnit ? features : 1];
        rn_state = zeros(8, dtype: ScalarType.Float64);
        rn_comp = zeros(_comp.Length, dtype: ScalarType.Float64);
        register_buffer("rn_state", rn_state);
        register_buffer("rn_comp", rn_comp);
    }

    public string LayerName { get; }
    public RegularityMode ModeOverride { get; set; } = RegularityMode.FollowModule;

    /// <summary>Receives warnings (e.g. a clamped prior).</summary>
    public Action<string>? Warn { get; set; }

    public void SetPrior(Tensor? prior)
    {
        _prior?.Dispose();
        _prior = null;
        if (prior is null) return;
        if (!_acceptsPrior) return; // layers without prior support ignore it
        double[] s = TensorMemory.ToDoubles(prior.detach().cpu().reshape(-1));
        for (int i = 0; i < s.Length; i++)
        {
            if (!double.IsFinite(s[i]) || s[i] <= 0) throw new ArgumentException($"prior of '{LayerName}': s[{i}] = {s[i]} is not in (0, 1]");
            if (s[i] > 1) throw new ArgumentException($"prior of '{LayerName}': s[{i}] = {s[i]} exceeds 1, which could flip the sign of the activations");
            if (s[i] < _options.PriorMin)
            {
                Warn?.Invoke($"prior of '{LayerName}': s[{i}] = {s[i]} clamped to {_options.PriorMin}");
                s[i] = _options.PriorMin;
            }
        }
        _prior = tensor(s).MoveToOuterDisposeScope();
    }

    private bool TrainingCall => ModeOverride switch
    {
        RegularityMode.Train => true,
        RegularityMode.Eval => false,
        _ => training,
    };

    public override Tensor forward(Tensor x)
    {
        if (x.dim() != 2) throw new ArgumentException($"'{LayerName}' expects [batch, features] activations, got shape [{string.Join(", ", x.shape)}]");
        // Scalar RN pools all elements, so any width works; per-unit RN keeps one COMP per unit.
        if (_perUnit && x.size(1) != _features) throw new ArgumentException($"'{LayerName}' was built for {_features} units, got {x.shape[1]}");
        Tensor? prior = BeginCall();
        try
        {
            return Call(x, prior, TrainingCall);
        }
        finally
        {
            EndCall(prior);
        }
    }

    /// <summary>
    /// The layer's call on host memory, for forwards that record no graph (acting, rollouts): the same state update,
    /// counters and code length as <see cref="forward"/>, with the [rows, cols] float32 <paramref name="activations"/>
    /// scaled in place. Saves the tensor round trip where libtorch's dispatch costs more than the arithmetic.
    /// </summary>
    public void ForwardInPlace(Span<float> activations, int rows)
    {
        if (rows <= 0 || activations.Length == 0 || activations.Length % rows != 0)
            throw new ArgumentException($"'{LayerName}' expects [batch, features] activations, got {activations.Length} values for {rows} rows");
        int cols = activations.Length / rows;
        if (_perUnit && cols != _features) throw new ArgumentException($"'{LayerName}' was built for {_features} units, got {cols}");
        Tensor? prior = BeginCall();
        try
        {
            bool train = TrainingCall;
            if (PassesThrough(train)) return;
            RegularityScratch.Set scratch = _scratch.For(activations.Length);
            RegularityComputation c;
            if (UsesFloat32Arithmetic(ScalarType.Float32))
            {
                c = Score(rows, cols, scratch, prior, train, activations, gradient: false);
            }
            else
            {
                System.Numerics.Tensors.TensorPrimitives.ConvertTruncating<float, double>(activations, scratch.Values.AsSpan(0, activations.Length));
                c = Score(rows, cols, scratch, prior, train, [], gradient: false);
            }
            RegularityFunction.Scale<float>(activations, activations, c);
        }
        finally
        {
            EndCall(prior);
        }
    }

    // Every call, whatever its form: the state as the buffers hold it (a load may have changed them) and the prior set
    // for this call only; afterwards the prior is dropped, the call counted and the state written back to the buffers.
    private Tensor? BeginCall()
    {
        SyncFromBuffers();
        Tensor? prior = _prior;
        _prior = null;
        return prior;
    }

    private void EndCall(Tensor? prior)
    {
        prior?.Dispose();
        _calls++;
        WriteBuffers();
    }

    // Before any training call (or with degenerate history) an eval call passes through, no code length (SPEC §2.9, §4).
    private bool PassesThrough(bool train)
    {
        if (train || (_initialized && _std >= _options.SigmaMin)) return false;
        _lastCodeLength = _lastBatchMean = null;
        return true;
    }

    private Tensor Call(Tensor x, Tensor? prior, bool train)
    {
        if (PassesThrough(train)) return x.alias();
        int rows = checked((int)x.size(0)), cols = checked((int)x.size(1));
        RegularityScratch.Set scratch = _scratch.For(checked(rows * cols));
        bool gradient = x.requires_grad && !_options.StopGradientThroughCodeLength;
        RegularityComputation c;
        if (UsesFloat32Arithmetic(x.dtype) && x.device_type == DeviceType.CPU)
        {
            // Read in place: no copy into float64.
            using Tensor? copy = x.is_contiguous() ? null : x.contiguous();
            c = Score(rows, cols, scratch, prior, train, TensorMemory.Span<float>(copy ?? x), gradient);
        }
        else
        {
            TensorMemory.CopyToDoubles(x, scratch.Values);
            c = Score(rows, cols, scratch, prior, train, [], gradient);
        }
        return RegularityFunction.Apply(x, c, _options.StopGradientThroughCodeLength);
    }

    // Scalar RN on float32 activations computes in the fast arithmetic unless the options ask for the reference one.
    private bool UsesFloat32Arithmetic(ScalarType dtype) =>
        !_perUnit && dtype == ScalarType.Float32 && _options.Arithmetic == RegularityArithmetic.Fast;

    // Scores the activations (float32Input in the fast arithmetic, else scratch.Values), checks them and, in training,
    // merges them into the state.
    private RegularityComputation Score(int rows, int cols, RegularityScratch.Set scratch, Tensor? prior, bool train, ReadOnlySpan<float> float32Input, bool gradient)
    {
        bool fast = !float32Input.IsEmpty;
        double[] values = fast ? [] : scratch.Values;
        int length = rows * cols;
        // One SIMD sum finds a NaN or ±inf (or an overflow, which the loop then clears); the call reuses it for the batch mean.
        double? sum = train || fast ? null : System.Numerics.Tensors.TensorPrimitives.Sum<double>(values);
        if (sum is double total && !double.IsFinite(total)) RequireFiniteInput<double>(values);
        double[]? priorValues = null;
        if (prior is not null && _acceptsPrior)
        {
            priorValues = TensorMemory.ToDoubles(prior);
            if (priorValues.Length != rows)
                throw new ArgumentException($"prior of '{LayerName}' has {priorValues.Length} values for a batch of {rows}");
        }
        var c = new RegularityComputation { Rows = rows, Cols = cols, PerUnit = _perUnit, Train = train, X = values, Scratch = scratch };
        if (fast)
        {
            c.ForwardFloat32(float32Input, _initialized, _mean, _std, _count, _comp, _options, priorValues, _refNumel, _probe, gradient);
            // The batch's sum came with the call; a non-finite one sends an eval call looking for the value that made it.
            if (!train && !double.IsFinite(c.BatchMean)) RequireFiniteInput(float32Input);
        }
        else
        {
            c.Forward(_initialized, _mean, _std, _count, _comp, _options, priorValues, _refNumel, _probe, sum);
        }
        if (train && (!double.IsFinite(c.Variance) || !double.IsFinite(c.Mu)))
            throw new NonFiniteCodeLengthException(LayerName, _calls, $"non-finite statistics: mean {c.Mu}, variance {c.Variance}, count {_count}");
        if (c.Degenerate)
        {
            // No usable Gaussian: pass through, keep COMP (SPEC §4 guard 2); training still merges the statistics.
            _lastCodeLength = _lastBatchMean = null;
        }
        else
        {
            double[] effective = c.RowScale ?? c.Lengths;
            foreach (double l in effective)
            {
                if (!double.IsFinite(l))
                    throw new NonFiniteCodeLengthException(LayerName, _calls, $"mean {c.Mu}, std {Math.Sqrt(Math.Max(c.Variance, 0))}, count {_count}, comp {string.Join("/", _comp.Take(4))}");
            }
            _lastCodeLength = c.Lengths.Average();
            _lastBatchMean = effective.Average();
            if (train) _comp = c.CompNew;
            else if (effective.Any(l => l <= 0)) _nonPositive++;
        }
        if (train)
        {
            _mean = c.Mu;
            _std = Math.Sqrt(Math.Max(c.Variance, 0));
            _count += length;
            _refNumel = length;
            _initialized = true;
        }
        return c;
    }

    // An eval call's input must be finite (training calls fail on their statistics instead); an overflowed sum of finite
    // values passes.
    private void RequireFiniteInput<T>(ReadOnlySpan<T> values) where T : System.Numerics.IFloatingPointIeee754<T>
    {
        foreach (T v in values)
        {
            if (!T.IsFinite(v)) throw new NonFiniteCodeLengthException(LayerName, _calls, $"non-finite input in eval mode: mean {_mean}, std {_std}, count {_count}");
        }
    }

    private void SyncFromBuffers()
    {
        // The buffers change under us only when a state dict is loaded; the generation counter tells.
        Span<double> state = TensorMemory.Span<double>(rn_state);
        if ((long)state[7] == _generation) return;
        _initialized = state[0] != 0;
        _mean = state[1];
        _std = state[2];
        _count = (long)state[3];
        _nonPositive = (long)state[4];
        _calls = (long)state[5];
        _refNumel = (long)state[6];
        _generation = (long)state[7];
        _comp = TensorMemory.Span<double>(rn_comp).ToArray();
    }

    private void WriteBuffers()
    {
        _generation++;
        // Direct writes into the buffers' CPU memory: no temporary tensors.
        Span<double> state = TensorMemory.Span<double>(rn_state);
        state[0] = _initialized ? 1 : 0;
        state[1] = _mean;
        state[2] = _std;
        state[3] = _count;
        state[4] = _nonPositive;
        state[5] = _calls;
        state[6] = _refNumel;
        state[7] = _generation;
        _comp.CopyTo(TensorMemory.Span<double>(rn_comp));
    }

    public RegularitySnapshot Snapshot()
    {
        SyncFromBuffers();
        return new RegularitySnapshot(LayerName, _calls, _lastCodeLength, _lastBatchMean, _comp.Average(), _mean, _std, _count, _nonPositive, _initialized);
    }

    public void ResetState()
    {
        _initialized = false;
        _mean = _std = 0;
        _count = _nonPositive = _calls = _refNumel = 0;
        _comp = new double[_comp.Length];
        _lastCodeLength = _lastBatchMean = null;
        WriteBuffers();
    }

    protected override void Dispose(bool disposing)
    {
        if (disposing) _prior?.Dispose();
        base.Dispose(disposing);
    }
}
