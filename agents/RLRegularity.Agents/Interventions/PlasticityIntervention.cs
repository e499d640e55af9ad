using System.Numerics;
using RLRegularity.Agents.Common;
using RLRegularity.Envs.Core;
using RLRegularity.Networks;
using RLRegularity.Optimization;
using RLRegularity.Statistics;
using RLRegularity.Tensors;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace RLRegularity.Agents.Interventions;

/// <summary>
/// One plasticity intervention (<see cref="InterventionKind"/>, docs/PLASTICITY.md#interventions) acting on a learner's
/// parameters through three hooks the learner calls: <see cref="AfterBackward"/> (l2init), <see cref="AfterOptimizerStep"/>
/// (snp, redo) and <see cref="AtEnvironmentStep"/> (reset). Every random draw comes from its own stream
/// (<see cref="RngStreams.Intervention"/>): a fresh network is built under libtorch's seeding lock from a seed drawn
/// there, so the learner's streams, and therefore the run with <c>intervention=none</c>, are untouched. Its whole state
/// (the stream, θ₀, counters, the next reset) is written into every checkpoint, so a resumed run is exact.
/// </summary>
public sealed class PlasticityIntervention
{
    private const string StateFile = "intervention.state";
    private const string Format = "intervention/1";

    private readonly InterventionOptions _options;
    private readonly DirectAdam _optimizer;
    private readonly IReadOnlyList<(string Name, Mlp Network)> _heads;
    private readonly Func<long, FreshNetworks> _fresh;
    // θ₀, one copy per optimizer parameter (float[] or double[] as the parameter), for l2init only.
    private readonly Array[]? _initial;
    private Rng _rng;
    private long _nextReset;

    /// <summary>
    /// An intervention of <paramref name="kind"/> (not <see cref="InterventionKind.None"/>) on the parameters of
    /// <paramref name="optimizer"/>, which must be at their initial values now (θ₀). <paramref name="heads"/> are the
    /// learner's MLPs (reset and redo act on their layers; snp and l2init on every optimizer parameter);
    /// <paramref name="fresh"/> builds a freshly initialised copy from a seed.
    /// </summary>
    public PlasticityIntervention(InterventionKind kind, InterventionOptions options, DirectAdam optimizer,
                                  IReadOnlyList<(string Name, Mlp Network)> heads, Func<long, FreshNetworks> fresh, long seed)
    {
        if (kind == InterventionKind.None) throw new ArgumentException("'none' is no intervention: build none", nameof(kind));
        Kind = kind;
        _options = options ?? throw new ArgumentNullException(nameof(options));
        _optimizer = optimizer ?? throw new ArgumentNullException(nameof(optimizer));
        _heads = heads ?? throw new ArgumentNullException(nameof(heads));
        _fresh = fresh ?? throw new ArgumentNullException(nameof(fresh));
        _rng = new Rng(seed, RngStreams.Intervention);
        _nextReset = options.ResetEvery;
        if (kind == InterventionKind.L2init) _initial = [.. optimizer.Parameters.Select(Copy)];
    }

    /// <summary>The intervention.</summary>
    public InterventionKind Kind { get; }

    /// <summary>Optimizer steps seen (the clock of snp and redo).</summary>
    public long GradientSteps { get; private set; }

    /// <summary>How many times the intervention changed the parameters: snp steps, resets, redo recycles (even of no unit).</summary>
    public long Applications { get; private set; }

    /// <summary>The units the last redo recycle re-initialised: network, layer (fc1, ...) and unit indices.</summary>
    public IReadOnlyList<(string Network, string Layer, int[] Units)> LastRecycled { get; private set; } = [];

    /// <summary>l2init: adds 2λ(θ − θ₀), the gradient of λ‖θ − θ₀‖², to the gradient of every parameter that has one.
    /// Called after the loss's backward and before gradient-norm clipping, so the clip sees the regularized objective's
    /// gradient, as it would if the penalty were part of the loss.</summary>
    public void AfterBackward()
    {
        if (_initial is null) return;
        double twoLambda = 2 * _options.L2InitCoefficient;
        for (int i = 0; i < _initial.Length; i++)
        {
            Parameter p = _optimizer.Parameters[i];
            using Tensor? g = p.grad;
            if (g is null) continue;
            if (_initial[i] is float[] f0) AddPull(TensorMemory.Span<float>(g), TensorMemory.Span<float>(p), f0, (float)twoLambda);
            else AddPull(TensorMemory.Span<double>(g), TensorMemory.Span<double>(p), (double[])_initial[i], twoLambda);
        }
    }

    /// <summary>After every optimizer step: snp mixes in a fresh network; redo, every <see cref="InterventionOptions.RedoEvery"/>
    /// steps, recycles the dormant units measured on <paramref name="headInput"/>'s batch (the heads' input for the
    /// minibatch just trained on; called only when a recycle is due).</summary>
    public void AfterOptimizerStep(Func<Tensor> headInput)
    {
        ArgumentNullException.ThrowIfNull(headInput);
        GradientSteps++;
        if (Kind == InterventionKind.Snp)
        {
            ShrinkAndPerturb();
        }
        else if (Kind == InterventionKind.Redo && GradientSteps % _options.RedoEvery == 0)
        {
            using var scope = NewDisposeScope();
            using var noGrad = no_grad();
            Recycle(headInput());
        }
    }

    /// <summary>reset: when the run has reached the next multiple of <see cref="InterventionOptions.ResetEvery"/> environment
    /// steps, re-initialises the last layers once (a PPO update may cross a multiple between two calls).</summary>
    public void AtEnvironmentStep(long globalStep)
    {
        if (Kind != InterventionKind.Reset || globalStep < _nextReset) return;
        ResetLastLayers();
        _nextReset = (globalStep / _options.ResetEvery + 1) * _options.ResetEvery;
    }

    /// <summary>θ ← αθ + σ·θ_fresh on every optimizer parameter (the Adam moments are kept, as Ash and Adams do).</summary>
    public void ShrinkAndPerturb()
    {
        using FreshNetworks fresh = NextFresh();
        for (int i = 0; i < _optimizer.Parameters.Count; i++)
        {
            Parameter p = _optimizer.Parameters[i];
            if (p.dtype == ScalarType.Float32)
                Mix(TensorMemory.Span<float>(p), TensorMemory.Span<float>(fresh.Parameters[i]), (float)_options.ShrinkFactor, (float)_options.PerturbScale);
            else
                Mix(TensorMemory.Span<double>(p), TensorMemory.Span<double>(fresh.Parameters[i]), _options.ShrinkFactor, _options.PerturbScale);
        }
        Applications++;
    }

    /// <summary>Replaces every parameter of the last <see cref="InterventionOptions.ResetLayers"/> linear layers of each head
    /// by a fresh draw of the initial distribution and zeroes their Adam moments.</summary>
    public void ResetLastLayers()
    {
        using FreshNetworks fresh = NextFresh();
        for (int n = 0; n < _heads.Count; n++)
        {
            IReadOnlyList<(string Layer, nn.Module Linear)> live = _heads[n].Network.Linears(), drawn = fresh.Heads[n].Network.Linears();
            for (int l = Math.Max(0, live.Count - _options.ResetLayers); l < live.Count; l++)
            {
                foreach (var ((_, p), (_, q)) in live[l].Linear.named_parameters().Zip(drawn[l].Linear.named_parameters()))
                {
                    CopyRows(p, q, null);
                    _optimizer.ResetMoments(p);
                }
            }
        }
        Applications++;
    }

    /// <summary>
    /// ReDo on a batch of head inputs: every hidden unit whose score on the batch is at most τ has its incoming weights
    /// and bias re-drawn from the initial distribution and its outgoing weights set to 0, and the Adam moments of both
    /// zeroed. Scores are measured on an eval-mode copy of each head, so no normalizer state moves.
    /// </summary>
    public void Recycle(Tensor headInput)
    {
        ArgumentNullException.ThrowIfNull(headInput);
        var recycled = new List<(string, string, int[])>();
        for (int n = 0; n < _heads.Count; n++)
        {
            (string name, Mlp live) = _heads[n];
            using Mlp copy = PlasticityDiagnostics.CopyInEvalMode(live);
            IReadOnlyList<(string Layer, Tensor Activations)> activations = copy.HiddenActivations(headInput.to(live.Spec.Options.DType));
            foreach ((string layer, Tensor h) in activations)
            {
                double[] values = TensorMemory.ToDoubles(h.detach().to(ScalarType.Float64).contiguous());
                double[] scores = PlasticityMetrics.UnitScores(values, (int)h.shape[0]);
                int[] dormant = [.. Enumerable.Range(0, scores.Length).Where(u => scores[u] <= _options.RedoThreshold)];
                if (dormant.Length > 0) recycled.Add((name, layer, dormant));
            }
        }
        // One draw per recycle, dormant units or not, so the stream's position depends on the clock alone.
        using FreshNetworks fresh = NextFresh();
        foreach ((string name, string layer, int[] units) in recycled)
        {
            int n = _heads.ToList().FindIndex(h => h.Name == name);
            IReadOnlyList<(string Layer, nn.Module Linear)> live = _heads[n].Network.Linears(), drawn = fresh.Heads[n].Network.Linears();
            int l = live.ToList().FindIndex(x => x.Layer == layer);
            foreach (var ((_, p), (_, q)) in live[l].Linear.named_parameters().Zip(drawn[l].Linear.named_parameters()))
            {
                CopyRows(p, q, units);
                _optimizer.ResetMoments(p, 0, units);
            }
            ZeroOutgoing(live[l + 1].Linear, units);
        }
        LastRecycled = recycled;
        Applications++;
    }

    /// <summary>Writes the intervention's state into a checkpoint folder.</summary>
    public void Save(string directory)
    {
        using var writer = new BinaryWriter(File.Create(Path.Combine(directory, StateFile)));
        writer.Write(Format);
        writer.Write(Kind.ToString());
        EnvState.WriteRng(writer, _rng.GetState());
        writer.Write(GradientSteps);
        writer.Write(Applications);
        writer.Write(_nextReset);
        writer.Write(_initial?.Length ?? 0);
        foreach (Array values in _initial ?? [])
        {
            writer.Write(values.Length);
            if (values is float[] f) foreach (float v in f) writer.Write(v);
            else foreach (double v in (double[])values) writer.Write(v);
        }
    }

    /// <summary>Restores what <see cref="Save"/> wrote; a checkpoint without it, or of another intervention, is an error.</summary>
    public void Load(string directory)
    {
        string path = Path.Combine(directory, StateFile);
        if (!File.Exists(path))
            throw new InvalidDataException($"{directory} has no {StateFile}: it was written by a run without the intervention '{Kind}'");
        using var reader = new BinaryReader(File.OpenRead(path));
        string format = reader.ReadString();
        if (format != Format) throw new InvalidDataException($"{path} is '{format}', not '{Format}'");
        string kind = reader.ReadString();
        if (kind != Kind.ToString()) throw new InvalidDataException($"{path} holds the state of '{kind}', not of '{Kind}'");
        _rng = Rng.FromState(EnvState.ReadRng(reader));
        GradientSteps = reader.ReadInt64();
        Applications = reader.ReadInt64();
        _nextReset = reader.ReadInt64();
        int count = reader.ReadInt32();
        if (count != (_initial?.Length ?? 0)) throw new InvalidDataException($"{path} holds θ₀ of {count} parameters; this learner has {_initial?.Length ?? 0}");
        foreach (Array values in _initial ?? [])
        {
            if (reader.ReadInt32() != values.Length) throw new InvalidDataException($"{path} holds θ₀ of other shapes");
            if (values is float[] f) for (int i = 0; i < f.Length; i++) f[i] = reader.ReadSingle();
            else { var d = (double[])values; for (int i = 0; i < d.Length; i++) d[i] = reader.ReadDouble(); }
        }
    }

    private FreshNetworks NextFresh() => _fresh((long)(_rng.NextUInt64() >> 1));

    private static Array Copy(Parameter p) =>
        p.dtype == ScalarType.Float32 ? TensorMemory.Span<float>(p).ToArray() : TensorMemory.Span<double>(p).ToArray();

    // g ← g + 2λ(θ − θ₀)
    private static void AddPull<T>(Span<T> gradient, ReadOnlySpan<T> parameter, ReadOnlySpan<T> initial, T twoLambda)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        for (int i = 0; i < gradient.Length; i++) gradient[i] += twoLambda * (parameter[i] - initial[i]);
    }

    // θ ← αθ + σ·θ_fresh
    private static void Mix<T>(Span<T> parameter, ReadOnlySpan<T> fresh, T alpha, T sigma) where T : unmanaged, IFloatingPointIeee754<T>
    {
        for (int i = 0; i < parameter.Length; i++) parameter[i] = alpha * parameter[i] + sigma * fresh[i];
    }

    // Copies rows (slices along dimension 0) of `source` into `target`; null copies everything.
    private static void CopyRows(Parameter target, Parameter source, int[]? rows)
    {
        if (target.dtype == ScalarType.Float32) CopyRows(TensorMemory.Span<float>(target), TensorMemory.Span<float>(source), (int)target.shape[0], rows);
        else CopyRows(TensorMemory.Span<double>(target), TensorMemory.Span<double>(source), (int)target.shape[0], rows);
    }

    private static void CopyRows<T>(Span<T> target, ReadOnlySpan<T> source, int rowCount, int[]? rows) where T : unmanaged
    {
        if (source.Length != target.Length) throw new InvalidOperationException("the fresh network's parameter has another shape");
        if (rows is null) { source.CopyTo(target); return; }
        int length = target.Length / rowCount;
        foreach (int r in rows) source.Slice(r * length, length).CopyTo(target.Slice(r * length, length));
    }

    // Sets the outgoing weights of `units` (columns of the next layer's weight) to 0 and zeroes their moments. With weight
    // normalization (w = g·v/‖v‖ per row) the columns of v are zeroed and each row's g rescaled by ‖v_after‖/‖v_before‖,
    // so every other effective weight stays as it was; a row whose v would become all zero keeps v and gets g = 0 instead
    // (its effective weights are all 0, which is what zeroing those columns means there).
    private void ZeroOutgoing(nn.Module linear, int[] units)
    {
        var parameters = linear.named_parameters().ToDictionary(p => p.name, p => p.parameter);
        if (parameters.TryGetValue("weight", out Parameter? weight))
        {
            ZeroColumns(weight, units);
            _optimizer.ResetMoments(weight, 1, units);
            return;
        }
        Parameter v = parameters["weight_v"], g = parameters["weight_g"];
        using var scope = NewDisposeScope();
        using var noGrad = no_grad();
        double[] before = TensorMemory.ToDoubles(v.to(ScalarType.Float64).norm(1));
        Tensor keep = v.clone();
        ZeroColumns(v, units);
        double[] after = TensorMemory.ToDoubles(v.to(ScalarType.Float64).norm(1));
        for (int r = 0; r < after.Length; r++)
        {
            double factor = after[r] > 0 && before[r] > 0 ? after[r] / before[r] : 0;
            if (after[r] == 0) v[r].copy_(keep[r]);
            g[r].mul_(factor);
        }
        _optimizer.ResetMoments(v, 1, units);
    }

    private static void ZeroColumns(Parameter p, int[] columns)
    {
        int rows = (int)p.shape[0], width = (int)p.shape[1];
        if (p.dtype == ScalarType.Float32) { Span<float> s = TensorMemory.Span<float>(p); for (int r = 0; r < rows; r++) foreach (int c in columns) s[r * width + c] = 0; }
        else { Span<double> s = TensorMemory.Span<double>(p); for (int r = 0; r < rows; r++) foreach (int c in columns) s[r * width + c] = 0; }
    }
}
