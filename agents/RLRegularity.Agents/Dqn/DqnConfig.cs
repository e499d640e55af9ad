using System.ComponentModel.DataAnnotations;
using RLRegularity.Agents.Common;
using RLRegularity.Agents.Interventions;
using RLRegularity.Networks;
using RLRegularity.Normalization;

namespace RLRegularity.Agents.Dqn;

/// <summary>How the target network follows the online network.</summary>
public enum TargetUpdate
{
    /// <summary>Copy the online weights every <see cref="DqnConfig.TargetUpdateInterval"/> environment steps (blended by τ; τ = 1 copies).</summary>
    Hard,
    /// <summary>Polyak averaging with rate τ after every learning step (the paper's DQN).</summary>
    Soft,
}

/// <summary>The regression loss on the TD target.</summary>
public enum TdLoss
{
    /// <summary>Mean squared error.</summary>
    Mse,
    /// <summary>Huber (smooth L1 with δ = 1).</summary>
    Huber,
}

/// <summary>
/// Every hyperparameter of DQN with its default and meaning. The defaults are the <c>tuned</c> preset (CleanRL's DQN
/// settings for CartPole); <see cref="Paper"/> is the exact setup of the paper's DQN (SPEC 8.1).
/// </summary>
public sealed record DqnConfig
{
    /// <summary>Hidden layer widths of the Q-network.</summary>
    public int[] HiddenSizes { get; init; } = [120, 84];

    /// <summary>Hidden activation.</summary>
    public Activation Activation { get; init; } = Activation.ReLU;

    /// <summary>Hidden-layer normalizer: none, bn, ln, wn, rn, rln, rnln, rnr or probe.</summary>
    public NormalizerKind Normalizer { get; init; } = NormalizerKind.None;

    /// <summary>Options of the normalizer (RN variants, β of the reward prior, ...).</summary>
    public NormalizerOptions NormalizerOptions { get; init; } = NormalizerOptions.Default;

    /// <summary>
    /// What reads the observation before the Q-network's MLP: <c>auto</c> picks <c>grid</c> for MiniGrid images
    /// ([W, H, 3] uint8) and <c>mlp</c> otherwise; <c>grid</c> is the convolutional <see cref="GridEncoder"/> (the online
    /// and target networks each have their own copy); <c>mlp</c> feeds the flat observation to the MLP.
    /// </summary>
    public ObservationEncoder Encoder { get; init; } = ObservationEncoder.Auto;

    /// <summary>
    /// Compute the forwards that record no graph (acting) in C# on the network's own parameters when every layer
    /// has a host form (all but bn, wn and grid encoders), which is several times faster than libtorch at these sizes;
    /// false always uses libtorch. Both give the same values up to float32 rounding.
    /// </summary>
    public bool HostInference { get; init; } = true;

    /// <summary>Factor applied to grid observations before the first convolution (1 = Minigrid's raw integer codes).</summary>
    [Range(1e-6, 1e6)]
    public double GridObservationScale { get; init; } = 1.0;

    /// <summary>Adam learning rate.</summary>
    [Range(1e-8, 1.0)]
    public double LearningRate { get; init; } = 2.5e-4;

    /// <summary>Adam's ε.</summary>
    [Range(1e-12, 1e-2)]
    public double AdamEpsilon { get; init; } = 1e-8;

    /// <summary>Replay buffer capacity in transitions.</summary>
    [Range(1, 100_000_000)]
    public int BufferSize { get; init; } = 10_000;

    /// <summary>Transitions per learning step.</summary>
    [Range(1, 1_000_000)]
    public int BatchSize { get; init; } = 128;

    /// <summary>Discount factor γ.</summary>
    [Range(0.0, 1.0)]
    public double Gamma { get; init; } = 0.99;

    /// <summary>Hard copies every <see cref="TargetUpdateInterval"/> steps, or soft Polyak updates after every learning step.</summary>
    public TargetUpdate TargetUpdate { get; init; } = TargetUpdate.Hard;

    /// <summary>Target blending rate τ (1 = copy).</summary>
    [Range(0.0, 1.0)]
    public double Tau { get; init; } = 1.0;

    /// <summary>Environment steps between hard target updates.</summary>
    [Range(1, int.MaxValue)]
    public int TargetUpdateInterval { get; init; } = 500;

    /// <summary>Use Double DQN targets (online argmax, target value).</summary>
    public bool DoubleDqn { get; init; }

    /// <summary>The TD regression loss.</summary>
    public TdLoss Loss { get; init; } = TdLoss.Mse;

    /// <summary>Global gradient-norm clip, or null for none.</summary>
    [Range(1e-6, 1e6)]
    public double? MaxGradNorm { get; init; }

    /// <summary>How ε decays.</summary>
    public EpsilonDecay EpsilonDecay { get; init; } = EpsilonDecay.Linear;

    /// <summary>Initial ε.</summary>
    [Range(0.0, 1.0)]
    public double EpsilonStart { get; init; } = 1.0;

    /// <summary>Final ε.</summary>
    [Range(0.0, 1.0)]
    public double EpsilonEnd { get; init; } = 0.05;

    /// <summary>Linear decay: the fraction of the run's total steps over which ε goes from start to end.</summary>
    [Range(0.0, 1.0)]
    public double ExplorationFraction { get; init; } = 0.5;

    /// <summary>Per-episode decay: ε is multiplied by this at the end of every episode.</summary>
    [Range(0.0, 1.0)]
    public double EpsilonDecayRate { get; init; } = 0.95;

    /// <summary>Environment steps before learning starts (learning also needs a full batch in the buffer).</summary>
    [Range(0, int.MaxValue)]
    public int LearningStarts { get; init; } = 10_000;

    /// <summary>Environment steps between learning steps.</summary>
    [Range(1, int.MaxValue)]
    public int TrainFrequency { get; init; } = 10;

    /// <summary>Acting forwards update the RN state (the paper's behaviour, SPEC 6.1); false freezes it while acting.</summary>
    public bool UpdateRnOnAct { get; init; } = true;

    /// <summary>How the reward prior of <c>rnr</c> bins rewards into classes (SPEC 5.3).</summary>
    public RewardPriorBinning RewardPriorBinning { get; init; } = RewardPriorBinning.Sign;

    /// <summary>
    /// Plasticity diagnostics (diagnostics.csv, docs/PLASTICITY.md) of the online network every this many learning
    /// steps (gradient steps), on a fixed probe batch; 0 or null turns them off. They never change training.
    /// </summary>
    [Range(0, int.MaxValue)]
    public int? DiagnosticsEvery { get; init; } = 1000;

    /// <summary>Observations in the diagnostics' probe batch (uniform random actions on an environment copy, seeded by the run's seed).</summary>
    [Range(2, 65536)]
    public int DiagnosticsProbeSize { get; init; } = 256;

    /// <summary>The plasticity intervention: none, l2init, snp, reset or redo (docs/PLASTICITY.md#interventions). None
    /// leaves training exactly as it is without interventions.</summary>
    public InterventionKind Intervention { get; init; } = InterventionKind.None;

    /// <summary>Options of the intervention: λ of l2init, α and σ of snp, the period and depth of reset, the period and τ of redo.</summary>
    public InterventionOptions InterventionOptions { get; init; } = InterventionOptions.Default;

    /// <summary>The paper's DQN (SPEC 8.1): buffer 10,000, batch 50, γ 0.99, soft τ 1e-3, Adam 1e-3, MSE, learn every 4
    /// steps once the buffer holds more than 50 transitions, ε 1 → 0.01 ×0.95 per episode, 64-64 ReLU.</summary>
    public static DqnConfig Paper { get; } = new()
    {
        HiddenSizes = [64, 64],
        LearningRate = 1e-3,
        BufferSize = 10_000,
        BatchSize = 50,
        Gamma = 0.99,
        TargetUpdate = TargetUpdate.Soft,
        Tau = 1e-3,
        Loss = TdLoss.Mse,
        EpsilonDecay = EpsilonDecay.ExponentialPerEpisode,
        EpsilonStart = 1.0,
        EpsilonEnd = 0.01,
        EpsilonDecayRate = 0.95,
        LearningStarts = 50,
        TrainFrequency = 4,
    };

    /// <summary>Defaults that solve CartPole-v1 fast and reliably (CleanRL's DQN settings).</summary>
    public static DqnConfig Tuned { get; } = new();
}
