using RLRegularity.Agents.Common;
using RLRegularity.Agents.Interventions;
using RLRegularity.Agents.Ppo;
using RLRegularity.Envs.Core;
using RLRegularity.Networks;
using RLRegularity.Normalization;
using TorchSharp;
using static TorchSharp.torch;

namespace RLRegularity.Agents.Policies;

/// <summary>
/// PPO's policy (SB3's <c>ActorCriticPolicy</c>): separate actor and critic <see cref="Mlp"/> heads, on MiniGrid images
/// over one shared <see cref="GridEncoder"/> (rl-starter-files' <c>ACModel</c>); their construction and initialisation,
/// modes, RN layers, reward prior, and the one no-grad forward that runs on the host or through libtorch.
/// </summary>
public sealed class ActorCritic : IPlasticNetworks, IDisposable
{
    private readonly PpoConfig _config;
    private readonly IEnv _env;
    private readonly GridEncoder? _encoder;
    private readonly Mlp _actor;
    private readonly Mlp _critic;
    // C# forms of the heads, both or neither (see InferencePath).
    private readonly InferencePlan _inference;
    private readonly IReadOnlyList<IRegularityLayer> _actorRn;
    private readonly IReadOnlyList<IRegularityLayer> _criticRn;
    private ActorCriticMode? _mode;

    /// <summary>Builds the networks for <paramref name="env"/>'s spaces from <paramref name="config"/>, initialised from
    /// <paramref name="seed"/> (encoder, actor, critic, in that order, so a seed gives the same weights as before).</summary>
    public ActorCritic(PpoConfig config, IEnv env, long seed)
    {
        ArgumentNullException.ThrowIfNull(config);
        ArgumentNullException.ThrowIfNull(env);
        _config = config;
        _env = env;
        ObservationSize = env.ObservationSpace.FlatSize;
        ActionCount = env.ActionSpace.N;
        (_encoder, _actor, _critic) = TorchRuntime.Seeded(seed, () =>
        {
            GridEncoder? encoder = ObservationEncoders.Create(config.Encoder, env, config.GridObservationScale);
            int features = encoder?.OutputSize ?? ObservationSize;
            var actor = new Mlp(new MlpSpec(features, config.HiddenSizes, ActionCount, config.Activation, config.Normalizer,
                config.NormalizerOptions, NormalizeOutput: config.RnOnOutputs));
            var critic = new Mlp(new MlpSpec(features, config.HiddenSizes, 1, config.Activation, config.Normalizer,
                config.NormalizerOptions, NormalizeOutput: config.RnOnOutputs));
            switch (config.Init)
            {
                case LinearInit.Orthogonal:
                    OrthogonalInit(actor, outputGain: 0.01);
                    OrthogonalInit(critic, outputGain: 1.0);
                    break;
                case LinearInit.NormalRows:
                    NormalRowsInit(actor);
                    NormalRowsInit(critic);
                    break;
            }
            return (encoder, actor, critic);
        });
        _inference = InferencePlan.Decide(config.HostInference, _encoder, [("actor", _actor), ("critic", _critic)]);
        _actorRn = RegularityLayers.Find(_actor);
        _criticRn = RegularityLayers.Find(_critic);
        UsesRewardPrior = Normalizers.Describe(config.Normalizer).TakesRewardPrior;
        // The shared encoder's parameters are listed once, so Adam and the gradient-norm clip see each tensor once.
        Parameters = [.. _encoder?.parameters() ?? [], .. _actor.parameters(), .. _critic.parameters()];
    }

    /// <summary>Floats per observation.</summary>
    public int ObservationSize { get; }

    /// <summary>Number of discrete actions (the actor's outputs).</summary>
    public int ActionCount { get; }

    /// <summary>The encoder in use: <see cref="ObservationEncoder.Grid"/> or <see cref="ObservationEncoder.Mlp"/> (auto resolved).</summary>
    public ObservationEncoder Encoder => _encoder is null ? ObservationEncoder.Mlp : ObservationEncoder.Grid;

    /// <summary>Where <see cref="Predict"/> runs.</summary>
    public InferencePath InferencePath => _inference.Path;

    /// <summary>Why <see cref="Predict"/> runs through libtorch rather than on the host, or null when it runs on the host.</summary>
    public string? HostFallbackReason => _inference.HostFallbackReason;

    /// <summary>Every trainable parameter once: encoder, actor, critic.</summary>
    public IReadOnlyList<TorchSharp.Modules.Parameter> Parameters { get; }

    /// <summary>The networks by checkpoint name (encoder.weights when there is one, actor.weights, critic.weights).</summary>
    public IEnumerable<(string Name, nn.Module Network)> Networks =>
        _encoder is null ? [("actor", _actor), ("critic", _critic)] : [("encoder", _encoder), ("actor", _actor), ("critic", _critic)];

    /// <summary>The actor and critic MLPs by name (what the plasticity diagnostics measure).</summary>
    public IReadOnlyList<(string Name, Mlp Network)> Heads => [("actor", _actor), ("critic", _critic)];

    /// <summary>What the heads read from <paramref name="observations"/>: the grid encoder's features, or the observations themselves.</summary>
    public Tensor HeadInput(Tensor observations) => Features(observations);

    /// <summary>A fresh actor-critic from <paramref name="seed"/>, built as this one was.</summary>
    public FreshNetworks FreshCopy(long seed)
    {
        // A fresh copy never runs a forward: no host inference plan to build (it does not change the initialisation).
        var fresh = new ActorCritic(_config with { HostInference = false }, _env, seed);
        return new FreshNetworks(fresh.Parameters, fresh.Heads, fresh);
    }

    /// <summary>Whether the normalizer is <c>rnr</c>, whose RN layers read a per-sample reward prior in updates.</summary>
    public bool UsesRewardPrior { get; }

    /// <summary>The current mode, or null before the first <see cref="SetMode"/> (or after <see cref="ForgetMode"/>).</summary>
    public ActorCriticMode? Mode => _mode;

    /// <summary>Puts the modules and their RN layers in <paramref name="mode"/>; a no-op when already there.</summary>
    public void SetMode(ActorCriticMode mode)
    {
        if (_mode == mode) return;
        bool training = mode == ActorCriticMode.Update;
        _encoder?.train(training);
        _actor.train(training);
        _critic.train(training);
        var rn = training ? RegularityMode.FollowModule : RegularityMode.Eval;
        foreach (IRegularityLayer layer in _actorRn) layer.ModeOverride = rn;
        foreach (IRegularityLayer layer in _criticRn) layer.ModeOverride = rn;
        _mode = mode;
    }

    /// <summary>Makes the next <see cref="SetMode"/> apply its mode in full (after weights were loaded into the modules).</summary>
    public void ForgetMode() => _mode = null;

    /// <summary>
    /// The no-grad forward of <paramref name="rows"/> observations ([rows, ObservationSize]) in the current mode: the
    /// actor's log-probabilities into <paramref name="logProbs"/> ([rows, ActionCount]) and the critic's values into
    /// <paramref name="values"/> ([rows]); an empty span skips that head. Runs on <see cref="InferencePath"/>.
    /// </summary>
    public void Predict(ReadOnlySpan<float> observations, int rows, Span<float> logProbs, Span<float> values)
    {
        if (_inference.Path == InferencePath.Host)
        {
            if (!logProbs.IsEmpty)
            {
                _inference.Head(0).Forward(observations, rows, logProbs);
                for (int start = 0; start < logProbs.Length; start += ActionCount)
                {
                    Span<float> row = logProbs.Slice(start, ActionCount);
                    PpoLoss.LogSoftmax<float>(row, row);
                }
            }
            if (!values.IsEmpty) _inference.Head(1).Forward(observations, rows, values);
            return;
        }
        using var scope = NewDisposeScope();
        using var noGrad = no_grad();
        Tensor x = Features(tensor(observations[..(rows * ObservationSize)].ToArray(), [rows, ObservationSize]));
        if (!logProbs.IsEmpty) nn.functional.log_softmax(_actor.forward(x), 1).data<float>().CopyTo(logProbs);
        if (!values.IsEmpty) _critic.forward(x).data<float>().CopyTo(values);
    }

    /// <summary>The forward that records a graph (update minibatches): the actor's logits [B, ActionCount] and the critic's values [B, 1].</summary>
    public (Tensor Logits, Tensor Values) Forward(Tensor observations)
    {
        Tensor features = Features(observations);
        return (_actor.forward(features), _critic.forward(features));
    }

    /// <summary>Gives the RN layers of the networks <see cref="PpoConfig.RewardPriorOn"/> names the per-sample prior of
    /// <paramref name="source"/> (<see cref="PpoConfig.RewardPriorSource"/>'s values, binned as <see cref="PpoConfig.RewardPriorBinning"/>
    /// says) for their next forward (SPEC 5.3); adds each sample's −log prior to <paramref name="negLogSum"/> in order and
    /// returns how many there were. The tensor joins the caller's dispose scope.</summary>
    public int ApplyRewardPrior(ReadOnlySpan<double> source, ref double negLogSum)
    {
        double[] prior = RewardPrior.FromRewards(source, _config.RewardPriorBinning);
        foreach (double s in prior) negLogSum += -Math.Log(s);
        Tensor priorTensor = tensor(prior, [prior.Length]);
        if (_config.RewardPriorOn is RewardPriorTarget.Critic or RewardPriorTarget.Both) RegularityLayers.SetPrior(_critic, priorTensor);
        if (_config.RewardPriorOn is RewardPriorTarget.Actor or RewardPriorTarget.Both) RegularityLayers.SetPrior(_actor, priorTensor);
        return prior.Length;
    }

    /// <summary>The probe snapshot of every RN-family layer, named actor.… and critic.….</summary>
    public IReadOnlyList<RegularitySnapshot> RegularitySnapshots() =>
        [.. _actorRn.Select(l => l.Snapshot() with { Layer = "actor." + l.LayerName }),
         .. _criticRn.Select(l => l.Snapshot() with { Layer = "critic." + l.LayerName })];

    /// <summary>Draws an action from log-probabilities by inversion with one uniform of <paramref name="rng"/>.</summary>
    public static int SampleCategorical(ReadOnlySpan<float> logProbs, Rng rng)
    {
        ArgumentNullException.ThrowIfNull(rng);
        double u = rng.NextDouble(), cumulative = 0;
        for (int a = 0; a < logProbs.Length; a++)
        {
            cumulative += Math.Exp(logProbs[a]);
            if (u < cumulative) return a;
        }
        return logProbs.Length - 1; // rounding left u above the total
    }

    // What the heads read: the grid encoder's features, or the flat observation itself.
    private Tensor Features(Tensor observations) => _encoder is null ? observations : _encoder.forward(observations);

    // CleanRL's layer_init: orthogonal weights, gain √2 on hidden layers and outputGain on the output; zero biases.
    private static void OrthogonalInit(Mlp network, double outputGain)
    {
        var linears = network.modules().OfType<TorchSharp.Modules.Linear>().ToList();
        using var noGrad = no_grad();
        for (int i = 0; i < linears.Count; i++)
        {
            nn.init.orthogonal_(linears[i].weight!, i == linears.Count - 1 ? outputGain : Math.Sqrt(2));
            if (linears[i].bias is { } bias) nn.init.zeros_(bias);
        }
    }

    // rl-starter-files' init_params: every linear weight N(0, 1) with each output row scaled to unit norm, biases zero.
    private static void NormalRowsInit(Mlp network)
    {
        using var noGrad = no_grad();
        foreach (var linear in network.modules().OfType<TorchSharp.Modules.Linear>())
        {
            Tensor weight = linear.weight!;
            weight.normal_(0, 1);
            weight.div_(weight.square().sum(1, keepdim: true).sqrt());
            if (linear.bias is { } bias) nn.init.zeros_(bias);
        }
    }

    /// <summary>Disposes the networks.</summary>
    public void Dispose()
    {
        _encoder?.Dispose();
        _actor.Dispose();
        _critic.Dispose();
    }
}
