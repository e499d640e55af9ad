using TorchSharp;
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
    private static readonly double HalfLog2Pi = 0.5 * Math.Log(2 * Math.PI);

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
        using var p = prior.detach().to(ScalarType.Float64).cpu().reshape(-1);
        double[] s = p.data<double>().ToArray();
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
        if (_perUnit && x.shape[1] != _features) throw new ArgumentException($"'{LayerName}' was built for {_features} units, got {x.shape[1]}");
        SyncFromBuffers();
        Tensor? prior = _prior;
        _prior = null;
        try
        {
            // Without autograd (acting, target networks, rollouts) the same arithmetic runs in C# doubles on one copy of
            // the activations: far fewer native calls than the tensor path, which the gradient needs.
            if (!x.requires_grad) return Fast(x, prior, TrainingCall);
            return TrainingCall ? Train(x, prior) : Eval(x, prior);
        }
        finally
        {
            prior?.Dispose();
            _calls++;
            WriteBuffers();
        }
    }

    private Tensor Train(Tensor x, Tensor? prior)
    {
        long n = x.NumberOfElements;
        using var scope = NewDisposeScope();
        Tensor batchMean = x.mean();
        Tensor batchVar = n > 1 ? (x - batchMean).square().sum() / (n - 1) : batchMean * 0.0;
        Tensor mu, variance;
        bool first = !_initialized;
        if (first)
        {
            mu = batchMean;
            variance = batchVar;
        }
        else
        {
            // History weight: all-time count, or decayed by the half-life (SPEC §7 item 2).
            double h = _options.HistoryHalfLife is double halfLife ? _count * Math.Pow(0.5, n / halfLife) : _count;
            mu = (batchMean * n + _mean * h) / (h + n);
            if (_options.HistoryMerge == HistoryMerge.Pooled)
            {
                double denominator = h + n - 2;
                variance = denominator > 0 ? ((h - 1) * (_std * _std) + (n - 1) * batchVar) / denominator : batchVar * 0.0;
            }
            else
            {
                double denominator = h + n - 1;
                Tensor delta = batchMean - _mean;
                variance = denominator > 0 ? ((h - 1) * (_std * _std) + (n - 1) * batchVar + delta.square() * (h * n / (h + n))) / denominator : batchVar * 0.0;
            }
        }
        double varianceValue = variance.to(ScalarType.Float64).item<double>();
        double muValue = mu.to(ScalarType.Float64).item<double>();
        // Non-finite statistics (a NaN or infinite activation) would be passed through as "degenerate": fail loudly instead.
        if (!double.IsFinite(varianceValue) || !double.IsFinite(muValue))
            throw new NonFiniteCodeLengthException(LayerName, _calls, $"non-finite statistics: mean {muValue}, variance {varianceValue}, count {_count}");
        double sigmaRaw = Math.Sqrt(Math.Max(varianceValue, 0));
        double[] compPrev = first ? new double[_comp.Length] : (double[])_comp.Clone();

        Tensor y;
        if (!(sigmaRaw >= _options.SigmaMin))
        {
            // Degenerate: no usable Gaussian. Pass through, keep COMP, still merge the statistics (SPEC §4 guard 2).
            y = x.alias();
            _lastCodeLength = _lastBatchMean = null;
        }
        else
        {
            Tensor sigma = variance.sqrt();
            Tensor logP = -(x - mu).square() / (2 * sigma.square()) - sigma.log() - HalfLog2Pi;
            // Evidence and COMP in double (SPEC §4 item 5).
            Tensor logP64 = logP.to(ScalarType.Float64);
            Tensor evidence = _perUnit ? logP64.logsumexp(0) : logP64.reshape(-1).logsumexp(0, keepdim: true);
            // C_new = LSE(C_prev + ln γ, S); C_0 = 0 (SPEC §2.5, §7 item 1).
            Tensor previous = tensor(compPrev);
            if (!first && _options.ComplexityDecay < 1) previous = previous + Math.Log(_options.ComplexityDecay);
            Tensor compNew = logaddexp(previous, evidence);
            Tensor codeLength = compNew - evidence;
            if (_options.StopGradientThroughCodeLength) codeLength = codeLength.detach();
            y = Scale(x, codeLength, prior, muValue, sigmaRaw);
            _comp = compNew.detach().data<double>().ToArray();
        }
        _mean = muValue;
        _std = sigmaRaw;
        _count += n;
        _refNumel = n;
        _initialized = true;
        return y.MoveToOuterDisposeScope();
    }

    private Tensor Eval(Tensor x, Tensor? prior)
    {
        if (!_initialized || !(_std >= _options.SigmaMin))
        {
            // Before any training call (or with degenerate history): pass through, no code length (SPEC §2.9, §4).
            _lastCodeLength = _lastBatchMean = null;
            return x.alias();
        }
        using var scope = NewDisposeScope();
        long n = x.NumberOfElements;
        if (!x.isfinite().all().item<bool>())
            throw new NonFiniteCodeLengthException(LayerName, _calls, $"non-finite input in eval mode: mean {_mean}, std {_std}, count {_count}");
        Tensor logP = -(x - _mean).square() / (2 * _std * _std) - Math.Log(_std) - HalfLog2Pi;
        Tensor logP64 = logP.to(ScalarType.Float64);
        Tensor evidence = _perUnit ? logP64.logsumexp(0) : logP64.reshape(-1).logsumexp(0, keepdim: true);
        if (_options.SizeInvariantEvidence && _refNumel > 0) evidence = evidence + Math.Log(_refNumel / (double)n);
        Tensor codeLength = tensor(_comp) - evidence;
        if (_options.StopGradientThroughCodeLength) codeLength = codeLength.detach();
        Tensor y = Scale(x, codeLength, prior, _mean, _std);
        if (_lastBatchMean <= 0 || _lastCodeLength <= 0) _nonPositive++;
        return y.MoveToOuterDisposeScope();
    }

    // The gradient-free path: SPEC §2–5 in double precision on a copy of the activations; one multiply on the tensor.
    private Tensor Fast(Tensor x, Tensor? prior, bool train)
    {
        int rows = (int)x.shape[0], cols = (int)x.shape[1];
        long n = (long)rows * cols;
        double[] v = x.dtype == ScalarType.Float64 ? x.data<double>().ToArray() : Array.ConvertAll(x.to(ScalarType.Float32).data<float>().ToArray(), f => (double)f);
        double mu, variance;
        bool first = !_initialized;
        if (train)
        {
            double batchMean = 0;
            foreach (double e in v) batchMean += e;
            batchMean /= n;
            double ss = 0;
            foreach (double e in v) ss += (e - batchMean) * (e - batchMean);
            double batchVar = n > 1 ? ss / (n - 1) : 0;
            if (first)
            {
                mu = batchMean;
                variance = batchVar;
            }
            else
            {
                double h = _options.HistoryHalfLife is double halfLife ? _count * Math.Pow(0.5, n / halfLife) : _count;
                mu = (batchMean * n + _mean * h) / (h + n);
                if (_options.HistoryMerge == HistoryMerge.Pooled)
                {
                    double d = h + n - 2;
                    variance = d > 0 ? ((h - 1) * (_std * _std) + (n - 1) * batchVar) / d : 0;
                }
                else
                {
                    double d = h + n - 1, delta = batchMean - _mean;
                    variance = d > 0 ? ((h - 1) * (_std * _std) + (n - 1) * batchVar + delta * delta * (h * n / (h + n))) / d : 0;
                }
            }
            if (!double.IsFinite(variance) || !double.IsFinite(mu))
                throw new NonFiniteCodeLengthException(LayerName, _calls, $"non-finite statistics: mean {mu}, variance {variance}, count {_count}");
        }
        else
        {
            if (!_initialized || !(_std >= _options.SigmaMin))
            {
                _lastCodeLength = _lastBatchMean = null;
                return x.alias();
            }
            foreach (double e in v)
            {
                if (!double.IsFinite(e)) throw new NonFiniteCodeLengthException(LayerName, _calls, $"non-finite input in eval mode: mean {_mean}, std {_std}, count {_count}");
            }
            mu = _mean;
            variance = _std * _std;
        }
        double sigma = Math.Sqrt(Math.Max(variance, 0));
        Tensor y;
        if (!(sigma >= _options.SigmaMin))
        {
            y = x.alias();
            _lastCodeLength = _lastBatchMean = null;
        }
        else
        {
            double logSigma = Math.Log(sigma), twoVar = 2 * sigma * sigma;
            int units = _perUnit ? cols : 1;
            var evidence = new double[units];
            var max = new double[units];
            Array.Fill(max, double.NegativeInfinity);
            for (int i = 0; i < v.Length; i++)
            {
                double lp = -(v[i] - mu) * (v[i] - mu) / twoVar - logSigma - HalfLog2Pi;
                v[i] = lp;
                int u = _perUnit ? i % cols : 0;
                if (lp > max[u]) max[u] = lp;
            }
            for (int i = 0; i < v.Length; i++) evidence[_perUnit ? i % cols : 0] += Math.Exp(v[i] - max[_perUnit ? i % cols : 0]);
            for (int u = 0; u < units; u++) evidence[u] = max[u] + Math.Log(evidence[u]);
            if (!train && _options.SizeInvariantEvidence && _refNumel > 0)
                for (int u = 0; u < units; u++) evidence[u] += Math.Log(_refNumel / (double)n);
            var lengths = new double[units];
            var compNew = (double[])_comp.Clone();
            for (int u = 0; u < units; u++)
            {
                if (train)
                {
                    double previous = first ? 0 : _comp[u] + (_options.ComplexityDecay < 1 ? Math.Log(_options.ComplexityDecay) : 0);
                    compNew[u] = LogAddExp(previous, evidence[u]);
                }
                lengths[u] = compNew[u] - evidence[u];
            }
            double[] rowScale = [];
            if (prior is not null && _acceptsPrior)
            {
                double[] s = prior.data<double>().ToArray();
                if (s.Length != rows) throw new ArgumentException($"prior of '{LayerName}' has {s.Length} values for a batch of {rows}");
                rowScale = [.. s.Select(p => lengths[0] - _options.PriorStrength * Math.Log(p))];
            }
            double[] effective = rowScale.Length > 0 ? rowScale : lengths;
            foreach (double l in effective)
            {
                if (!double.IsFinite(l))
                    throw new NonFiniteCodeLengthException(LayerName, _calls, $"mean {mu}, std {sigma}, count {_count}, comp {string.Join("/", _comp.Take(4))}");
            }
            _lastCodeLength = lengths.Average();
            _lastBatchMean = effective.Average();
            if (!train && (_lastBatchMean <= 0 || _lastCodeLength <= 0)) _nonPositive++;
            if (train) _comp = compNew;
            if (_probe) y = x.alias();
            else if (rowScale.Length > 0) y = x * tensor(rowScale, [rows, 1]).to(x.dtype);
            else if (_perUnit) y = x * tensor(lengths, [1, cols]).to(x.dtype);
            else y = x * lengths[0];
        }
        if (train)
        {
            _mean = mu;
            _std = sigma;
            _count += n;
            _refNumel = n;
            _initialized = true;
        }
        return y;
    }

    private static double LogAddExp(double a, double b)
    {
        double m = Math.Max(a, b);
        return m + Math.Log(Math.Exp(a - m) + Math.Exp(b - m));
    }

    // y = l·x (scalar), x[:, d]·l_d (per unit), x[b, :]·(l − β ln s_b) (prior); the probe returns x. Records the probe
    // values (l, and the batch mean of l_b) and fails loudly on a non-finite code length (SPEC §4 guard 3).
    private Tensor Scale(Tensor x, Tensor codeLength, Tensor? prior, double mean, double std)
    {
        double[] plain = codeLength.detach().reshape(-1).data<double>().ToArray();
        Tensor scale = _perUnit ? codeLength.reshape(1, -1) : codeLength.reshape(1, 1);
        double[] effective = plain;
        if (prior is not null && _acceptsPrior)
        {
            if (prior.NumberOfElements != x.shape[0])
                throw new ArgumentException($"prior of '{LayerName}' has {prior.NumberOfElements} values for a batch of {x.shape[0]}");
            scale = scale - _options.PriorStrength * prior.log().reshape(-1, 1);
            effective = scale.detach().reshape(-1).data<double>().ToArray();
        }
        foreach (double l in effective)
        {
            if (!double.IsFinite(l))
                throw new NonFiniteCodeLengthException(LayerName, _calls, $"mean {mean}, std {std}, count {_count}, comp {string.Join("/", _comp.Take(4))}");
        }
        _lastCodeLength = plain.Average();
        _lastBatchMean = effective.Average();
        if (_probe) return x.alias();
        return x * scale.to(x.dtype);
    }

    private void SyncFromBuffers()
    {
        // The buffers change under us only when a state dict is loaded; the generation counter tells.
        var state = rn_state.data<double>();
        if ((long)state[7] == _generation) return;
        _initialized = state[0] != 0;
        _mean = state[1];
        _std = state[2];
        _count = (long)state[3];
        _nonPositive = (long)state[4];
        _calls = (long)state[5];
        _refNumel = (long)state[6];
        _generation = (long)state[7];
        _comp = rn_comp.data<double>().ToArray();
    }

    private void WriteBuffers()
    {
        _generation++;
        // Direct writes into the buffers' CPU memory: no temporary tensors.
        var state = rn_state.data<double>();
        state[0] = _initialized ? 1 : 0;
        state[1] = _mean;
        state[2] = _std;
        state[3] = _count;
        state[4] = _nonPositive;
        state[5] = _calls;
        state[6] = _refNumel;
        state[7] = _generation;
        var comp = rn_comp.data<double>();
        for (int i = 0; i < _comp.Length; i++) comp[i] = _comp[i];
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
