using RLRegularity.Agents.Common;
using RLRegularity.Agents.Dqn;
using RLRegularity.Agents.Interventions;
using RLRegularity.Envs.Core;
using RLRegularity.Networks;
using RLRegularity.Normalization;
using RLRegularity.Tensors;
using TorchSharp;
using static TorchSharp.torch;
using TensorPrimitives = System.Numerics.Tensors.TensorPrimitives;

namespace RLRegularity.Agents.Policies;

/// <summary>
/// DQN's policy (SB3's <c>DQNPolicy</c>): the online Q-network and its target copy (an <see cref="Mlp"/>, or an
/// <see cref="EncodedMlp"/> over a <see cref="GridEncoder"/> on MiniGrid images), their modes, RN layers, the reward
/// prior, target updates, and the one no-grad forward that runs on the host or through libtorch.
/// </summary>
public sealed class DqnPolicy : IPlasticNetworks, IDisposable
{
    private readonly DqnConfig _config;
    private readonly IEnv _env;
    private readonly nn.Module<Tensor, Tensor> _online;
    private readonly nn.Module<Tensor, Tensor> _target;
    private readonly InferencePlan _inference;
    private readonly IReadOnlyList<IRegularityLayer> _onlineRn;
    private readonly IReadOnlyList<IRegularityLayer> _targetRn;
    private readonly bool _updateRnOnAct;
    // A replay batch's rewards widened to double for the reward prior, allocated once.
    private readonly double[] _priorRewards;
    private QNetworkMode? _mode;
    private bool? _onlineTraining;

    /// <summary>Builds both networks for <paramref name="env"/>'s spaces from <paramref name="config"/>, initialised from
    /// <paramref name="seed"/> (online, then target), and copies the online weights into the target.</summary>
    public DqnPolicy(DqnConfig config, IEnv env, long seed)
    {
        ArgumentNullException.ThrowIfNull(config);
        ArgumentNullException.ThrowIfNull(env);
        _config = config;
        _env = env;
        ObservationSize = env.ObservationSpace.FlatSize;
        ActionCount = env.ActionSpace.N;
        (_online, _target) = TorchRuntime.Seeded(seed, () => (Build(config, env), Build(config, env)));
        UpdateTarget(1.0);
        _onlineRn = RegularityLayers.Find(_online);
        _targetRn = RegularityLayers.Find(_target);
        _target.train();
        _inference = _online is EncodedMlp encoded
            ? InferencePlan.Decide(config.HostInference, encoded.Encoder, [("Q-network", encoded.Head)])
            : InferencePlan.Decide(config.HostInference, null, [("Q-network", (Mlp)_online)]);
        _updateRnOnAct = config.UpdateRnOnAct;
        _priorRewards = new double[config.BatchSize];
        UsesRewardPrior = Normalizers.Describe(config.Normalizer).TakesRewardPrior;
    }

    /// <summary>Floats per observation.</summary>
    public int ObservationSize { get; }

    /// <summary>Number of discrete actions (Q-values per observation).</summary>
    public int ActionCount { get; }

    /// <summary>The online Q-network: an <see cref="Mlp"/>, or an <see cref="EncodedMlp"/> over a grid encoder.</summary>
    public nn.Module<Tensor, Tensor> Online => _online;

    /// <summary>Where <see cref="Predict"/> runs.</summary>
    public InferencePath InferencePath => _inference.Path;

    /// <summary>Why <see cref="Predict"/> runs through libtorch rather than on the host, or null when it runs on the host.</summary>
    public string? HostFallbackReason => _inference.HostFallbackReason;

    /// <summary>The networks by checkpoint name (online.weights, target.weights).</summary>
    public IEnumerable<(string Name, nn.Module Network)> Networks => [("online", _online), ("target", _target)];

    /// <summary>The online network's MLP (the plasticity interventions act on the online network only: the target follows
    /// it through its own updates).</summary>
    public IReadOnlyList<(string Name, Mlp Network)> Heads => [("online", HeadOf(_online))];

    /// <summary>What the online network's MLP reads: the grid encoder's features, or the observations themselves.</summary>
    public Tensor HeadInput(Tensor observations) => _online is EncodedMlp encoded ? encoded.Encoder.forward(observations) : observations;

    /// <summary>A fresh online network from <paramref name="seed"/>, built as this one was.</summary>
    public FreshNetworks FreshCopy(long seed)
    {
        nn.Module<Tensor, Tensor> network = TorchRuntime.Seeded(seed, () => Build(_config, _env));
        return new FreshNetworks([.. network.parameters()], [("online", HeadOf(network))], network);
    }

    /// <summary>Whether the normalizer is <c>rnr</c>, whose online RN layers read a per-sample reward prior in learning forwards.</summary>
    public bool UsesRewardPrior { get; }

    /// <summary>The online network's current mode, or null before the first <see cref="SetMode"/> (or after <see cref="ForgetMode"/>).</summary>
    public QNetworkMode? Mode => _mode;

    /// <summary>Puts the online network and its RN layers in <paramref name="mode"/>; a no-op when already there.</summary>
    public void SetMode(QNetworkMode mode)
    {
        if (_mode == mode) return;
        bool training = mode == QNetworkMode.Learning;
        // The training flag walks the module tree: set it only when it changes (Acting ↔ Evaluation keep it off).
        if (_onlineTraining != training)
        {
            _online.train(training);
            _onlineTraining = training;
        }
        RegularityMode rn = mode switch
        {
            QNetworkMode.Learning => RegularityMode.FollowModule,
            QNetworkMode.Acting when _updateRnOnAct => RegularityMode.Train,
            _ => RegularityMode.Eval,
        };
        foreach (IRegularityLayer layer in _onlineRn) layer.ModeOverride = rn;
        _mode = mode;
    }

    /// <summary>Makes the next <see cref="SetMode"/> apply its mode in full and puts the target back in training mode
    /// (after weights were loaded into the modules).</summary>
    public void ForgetMode()
    {
        _mode = null;
        _onlineTraining = null;
        _target.train();
    }

    /// <summary>The online network's no-grad Q-values of <paramref name="rows"/> observations ([rows, ObservationSize])
    /// into <paramref name="qValues"/> ([rows, ActionCount]), in the current mode, on <see cref="InferencePath"/>.</summary>
    public void Predict(ReadOnlySpan<float> observations, int rows, Span<float> qValues)
    {
        if (_inference.Path == InferencePath.Host)
        {
            _inference.Head(0).Forward(observations, rows, qValues);
            return;
        }
        using var scope = NewDisposeScope();
        using var noGrad = no_grad();
        _online.forward(tensor(observations[..(rows * ObservationSize)].ToArray(), [rows, ObservationSize])).data<float>().CopyTo(qValues);
    }

    /// <summary>The action of largest Q-value for one observation (the first on ties, a NaN first, as <c>torch.argmax</c>);
    /// <paramref name="scratch"/> holds ActionCount floats.</summary>
    public int GreedyAction(ReadOnlySpan<float> observation, Span<float> scratch)
    {
        Predict(observation, 1, scratch);
        return TensorPrimitives.IndexOfMax<float>(scratch);
    }

    /// <summary>The online network's forward on a batch, recording a graph unless the caller is under no-grad.</summary>
    public Tensor OnlineQ(Tensor observations) => _online.forward(observations);

    /// <summary>The no-grad Q-values a TD target reads for <paramref name="nextObservations"/>: the target network's into
    /// <paramref name="targetQ"/> (training mode on its own RN state, SPEC 6.3, stored detached) and, unless
    /// <paramref name="onlineQ"/> is empty (double DQN's argmax), the online network's in <see cref="QNetworkMode.Evaluation"/>,
    /// which reads the online RN state without updating it.</summary>
    public void NextQValues(Tensor nextObservations, Span<double> targetQ, Span<double> onlineQ)
    {
        using var noGrad = no_grad();
        TensorMemory.CopyToDoubles(_target.forward(nextObservations), targetQ);
        if (onlineQ.IsEmpty) return;
        SetMode(QNetworkMode.Evaluation);
        TensorMemory.CopyToDoubles(_online.forward(nextObservations), onlineQ);
    }

    /// <summary>Gives the online RN layers the per-sample prior of <paramref name="rewards"/> (binned as
    /// <see cref="DqnConfig.RewardPriorBinning"/> says) for their next forward (SPEC 5.3); adds each sample's −log prior
    /// to <paramref name="negLogSum"/> in order and returns how many there were. The tensor joins the caller's dispose scope.</summary>
    public int ApplyRewardPrior(ReadOnlySpan<float> rewards, ref double negLogSum)
    {
        if (rewards.Length > _priorRewards.Length)
            throw new ArgumentException($"{rewards.Length} rewards for a batch of {_priorRewards.Length}", nameof(rewards));
        Span<double> widened = _priorRewards.AsSpan(0, rewards.Length);
        for (int i = 0; i < rewards.Length; i++) widened[i] = rewards[i];
        double[] prior = RewardPrior.FromRewards(widened, _config.RewardPriorBinning);
        foreach (double s in prior) negLogSum += -Math.Log(s);
        RegularityLayers.SetPrior(_online, tensor(prior, [prior.Length]));
        return prior.Length;
    }

    /// <summary>target ← τ·online + (1 − τ)·target on parameters only: RN state and batch-norm statistics are never copied (SPEC 6.1).</summary>
    public void UpdateTarget(double tau)
    {
        using var noGrad = no_grad();
        using var source = _online.parameters().GetEnumerator();
        foreach (var targetParameter in _target.parameters())
        {
            source.MoveNext();
            if (tau >= 1.0) targetParameter.copy_(source.Current);
            else targetParameter.mul_(1 - tau).add_(source.Current, alpha: tau);
        }
    }

    /// <summary>The probe snapshot of every RN-family layer, named online.… and target.….</summary>
    public IReadOnlyList<RegularitySnapshot> RegularitySnapshots() =>
        [.. _onlineRn.Select(l => l.Snapshot() with { Layer = "online." + l.LayerName }),
         .. _targetRn.Select(l => l.Snapshot() with { Layer = "target." + l.LayerName })];

    /// <summary>A Q-network for <paramref name="env"/> as <paramref name="config"/> describes it, in PyTorch's default
    /// initialisation from libtorch's generator (call it under <see cref="TorchRuntime.Seeded"/>).</summary>
    internal static nn.Module<Tensor, Tensor> Build(DqnConfig config, IEnv env)
    {
        GridEncoder? encoder = ObservationEncoders.Create(config.Encoder, env, config.GridObservationScale);
        var spec = new MlpSpec(encoder?.OutputSize ?? env.ObservationSpace.FlatSize, config.HiddenSizes, env.ActionSpace.N,
            config.Activation, config.Normalizer, config.NormalizerOptions);
        return encoder is null ? new Mlp(spec) : new EncodedMlp(encoder, new Mlp(spec));
    }

    private static Mlp HeadOf(nn.Module<Tensor, Tensor> network) => network as Mlp ?? ((EncodedMlp)network).Head;

    /// <summary>Disposes both networks.</summary>
    public void Dispose()
    {
        _online.Dispose();
        _target.Dispose();
    }
}
