using RLRegularity.Envs.Core;
using RLRegularity.Networks;
using RLRegularity.Normalization;
using RLRegularity.Statistics;
using RLRegularity.Tensors;
using TorchSharp;
using static TorchSharp.torch;

namespace RLRegularity.Agents.Common;

/// <summary>
/// Loss-of-plasticity diagnostics of a learner's MLPs (docs/PLASTICITY.md) on a fixed probe batch: per hidden layer the
/// τ-dormant fractions, effective rank and srank of its activations, and the RMS, distance from initialisation and
/// gradient norm of its incoming weights. Measuring never changes training: the probe comes from an environment copy of
/// its own with its own random stream (<see cref="RngStreams.DiagnosticsProbe"/>), and the forward runs without a
/// graph, on a fresh copy in eval mode of each network with an RN layer or batch norm (an eval call of an RN layer
/// still counts calls) and on the network itself otherwise, so the networks, their normalizer state, torch's generator
/// and the learner's RNG are untouched.
/// </summary>
public sealed class PlasticityDiagnostics
{
    /// <summary>The τ thresholds of the dormant fractions (Sokar et al. report 0 and 0.025 and use 0.1 for ReDo).</summary>
    public static readonly double[] DormantThresholds = [0, 0.025, 0.1];

    /// <summary>The share of the singular values' sum srank keeps (1 − δ with Kumar et al.'s δ = 0.01).</summary>
    public const double SrankFraction = 0.99;

    private const string InitialWeightsFile = "diagnostics.initial-weights";

    private readonly Func<IEnv> _probeEnvironment;
    private readonly long _seed;
    private readonly int _probeSize;
    private readonly IReadOnlyList<(string Name, Mlp Network)> _networks;
    // The initial incoming weights of every hidden layer, network by network, layer by layer.
    private readonly double[][][] _initialWeights;
    // Per network: its forward has no state and no mode to protect, so it is measured without a copy.
    private readonly bool[] _readInPlace;
    private float[]? _probe;

    /// <summary>
    /// Watches <paramref name="networks"/> (named MLPs, freshly initialised: their weights now are the initial ones).
    /// The probe batch is <paramref name="probeSize"/> observations of uniform random actions on an environment from
    /// <paramref name="probeEnvironment"/>, reset with <paramref name="seed"/>; it is collected at the first
    /// measurement and is a function of the seed, so a resumed run measures on the same batch.
    /// </summary>
    public PlasticityDiagnostics(IReadOnlyList<(string Name, Mlp Network)> networks, Func<IEnv> probeEnvironment, long seed, int probeSize)
    {
        ArgumentNullException.ThrowIfNull(networks);
        ArgumentNullException.ThrowIfNull(probeEnvironment);
        if (probeSize < 2) throw new ArgumentOutOfRangeException(nameof(probeSize), probeSize, "the probe batch needs at least 2 observations");
        _networks = networks;
        _probeEnvironment = probeEnvironment;
        _seed = seed;
        _probeSize = probeSize;
        _initialWeights = [.. networks.Select(n => n.Network.HiddenLinears().Select(l => WeightValues(l.Linear)).ToArray())];
        _readInPlace = [.. networks.Select(n => RegularityLayers.Find(n.Network).Count == 0 && !n.Network.modules().Any(m => m is BatchNormalization))];
    }

    /// <summary>The probe batch, [<see cref="ProbeSize"/>, observation size] row-major (collected on first use).</summary>
    public IReadOnlyList<float> Probe => _probe ??= CollectProbe();

    /// <summary>Observations in the probe batch.</summary>
    public int ProbeSize => _probeSize;

    /// <summary>
    /// Measures every hidden layer of every network. <paramref name="features"/> maps the probe observations to the MLPs'
    /// input (a grid encoder's features, or the observations themselves), under no-grad. The gradients on the weights are
    /// those of the last backward, scaled back by <paramref name="gradientClipCoefficient"/> (the factor gradient-norm
    /// clipping multiplied them by; 1 if unclipped).
    /// </summary>
    public IReadOnlyList<LayerDiagnostics> Measure(Func<Tensor, Tensor> features, double gradientClipCoefficient)
    {
        ArgumentNullException.ThrowIfNull(features);
        var rows = new List<LayerDiagnostics>();
        using var scope = NewDisposeScope();
        using var noGrad = no_grad();
        float[] probe = _probe ??= CollectProbe();
        int observationSize = probe.Length / _probeSize;
        Tensor input = features(tensor(probe, [_probeSize, observationSize]));
        for (int n = 0; n < _networks.Count; n++)
        {
            (string name, Mlp live) = _networks[n];
            // A network whose forward changes no state and does not depend on its mode (no RN layer, no batch norm) is
            // read as it is; the copy would give the same activations, bit for bit, and costs 0.1–0.2 ms (about 7% of a
            // PPO measurement).
            using Mlp? copy = _readInPlace[n] ? null : CopyInEvalMode(live);
            IReadOnlyList<(string Layer, Tensor Activations)> activations = (copy ?? live).HiddenActivations(input.to(live.Spec.Options.DType));
            IReadOnlyList<(string Layer, nn.Module Linear)> linears = live.HiddenLinears();
            for (int l = 0; l < activations.Count; l++)
            {
                (string layer, Tensor h) = activations[l];
                double[] weights = WeightValues(linears[l].Linear);
                double gradNorm = GradientNorm(linears[l].Linear) / gradientClipCoefficient;
                rows.Add(Layer(name, layer, h, weights, _initialWeights[n][l], gradNorm));
            }
        }
        return rows;
    }

    /// <summary>The activation metrics of a [batch, units] matrix <paramref name="h"/> (SVD by <c>torch.linalg.svdvals</c>
    /// in float64) with the given weight statistics.</summary>
    public static LayerDiagnostics Layer(string network, string layer, Tensor h, double[] weights, double[] initialWeights, double gradNorm)
    {
        ArgumentNullException.ThrowIfNull(h);
        using var scope = NewDisposeScope();
        Tensor h64 = h.detach().to(ScalarType.Float64).contiguous();
        double[] values = TensorMemory.ToDoubles(h64);
        double[] scores = PlasticityMetrics.UnitScores(values, (int)h64.shape[0]);
        double[] singular = TensorMemory.ToDoubles(linalg.svdvals(h64));
        return new LayerDiagnostics(network, layer, scores.Length,
            PlasticityMetrics.DormantFraction(scores, DormantThresholds[0]), PlasticityMetrics.DormantFraction(scores, DormantThresholds[1]),
            PlasticityMetrics.DormantFraction(scores, DormantThresholds[2]),
            PlasticityMetrics.EffectiveRank(singular), PlasticityMetrics.Srank(singular, SrankFraction),
            PlasticityMetrics.Rms(weights), PlasticityMetrics.RmsDistance(weights, initialWeights), gradNorm);
    }

    /// <summary>Writes the initial weights into a checkpoint folder.</summary>
    public void SaveInitialWeights(string directory)
    {
        using var writer = new BinaryWriter(File.Create(Path.Combine(directory, InitialWeightsFile)));
        writer.Write(_initialWeights.Length);
        foreach (double[][] network in _initialWeights)
        {
            writer.Write(network.Length);
            foreach (double[] layer in network)
            {
                writer.Write(layer.Length);
                foreach (double w in layer) writer.Write(w);
            }
        }
    }

    /// <summary>Reads the initial weights from a checkpoint folder written by <see cref="SaveInitialWeights"/>. A checkpoint
    /// without them (written with diagnostics off or by an earlier version) keeps the ones taken at construction, which are
    /// the same: networks are initialised from the seed alone.</summary>
    public void LoadInitialWeights(string directory)
    {
        string path = Path.Combine(directory, InitialWeightsFile);
        if (!File.Exists(path)) return;
        using var reader = new BinaryReader(File.OpenRead(path));
        if (reader.ReadInt32() != _initialWeights.Length) throw new InvalidDataException($"{path} describes another set of networks");
        foreach (double[][] network in _initialWeights)
        {
            if (reader.ReadInt32() != network.Length) throw new InvalidDataException($"{path} describes other layers");
            foreach (double[] layer in network)
            {
                if (reader.ReadInt32() != layer.Length) throw new InvalidDataException($"{path} describes layers of other sizes");
                for (int i = 0; i < layer.Length; i++) layer[i] = reader.ReadDouble();
            }
        }
    }

    // A fresh copy of the network (built under the seeding lock, so no concurrent initialisation sees torch's generator
    // move; nothing draws from it outside that lock) with the live parameters and buffers, in eval mode.
    internal static Mlp CopyInEvalMode(Mlp live)
    {
        Mlp copy = TorchRuntime.Seeded(0, () => new Mlp(live.Spec));
        copy.load_state_dict(live.state_dict());
        copy.eval();
        return copy;
    }

    private float[] CollectProbe()
    {
        using IEnv env = _probeEnvironment();
        int size = env.ObservationSpace.FlatSize, actions = env.ActionSpace.N;
        var rng = new Rng(_seed, RngStreams.DiagnosticsProbe);
        var probe = new float[_probeSize * size];
        float[] observation = env.Reset(_seed).Observation;
        for (int i = 0; i < _probeSize; i++)
        {
            observation.AsSpan(0, size).CopyTo(probe.AsSpan(i * size, size));
            StepResult r = env.Step(rng.NextInt(actions));
            observation = r.Terminated || r.Truncated ? env.Reset().Observation : r.Observation;
        }
        return probe;
    }

    // The incoming weights as trained: a linear layer's weight, a weight-normalized layer's effective weight g·v/‖v‖.
    private static double[] WeightValues(nn.Module linear)
    {
        using var scope = NewDisposeScope();
        using var noGrad = no_grad();
        Tensor weight = linear switch
        {
            TorchSharp.Modules.Linear l => l.weight!,
            Normalization.WeightNormLinear w => w.Weight(),
            _ => throw new ArgumentException($"not a linear layer: {linear.GetType().Name}"),
        };
        return TensorMemory.ToDoubles(weight.detach().to(ScalarType.Float64).contiguous());
    }

    // The L2 norm of the gradients of the layer's weight parameters (weight; weight_v and weight_g when weight-normalized),
    // biases excluded; 0 before any backward.
    private static double GradientNorm(nn.Module linear)
    {
        using var scope = NewDisposeScope();
        double sum = 0;
        foreach ((string name, TorchSharp.Modules.Parameter p) in linear.named_parameters())
        {
            if (!name.StartsWith("weight", StringComparison.Ordinal) || p.grad is not Tensor g) continue;
            double norm = g.to(ScalarType.Float64).norm().item<double>();
            sum += norm * norm;
        }
        return Math.Sqrt(sum);
    }
}
