using System.ComponentModel.DataAnnotations;
using RLRegularity.Agents.Interventions;
using RLRegularity.Networks;
using RLRegularity.Normalization;

namespace RLRegularity.Agents.Ppo;

/// <summary>
/// Every hyperparameter of PPO (Schulman et al., 2017) with its default and meaning. The defaults are the
/// <c>classic</c> preset (CleanRL's <c>ppo.py</c> CartPole settings); <see cref="MiniGrid"/> is SPEC 8.2's setup.
/// </summary>
public sealed record PpoConfig
{
    /// <summary>Parallel environment copies (synchronous).</summary>
    [Range(1, 4096)]
    public int NumEnvs { get; init; } = 4;

    /// <summary>Steps per copy per rollout; a rollout holds NumEnvs × NumSteps transitions.</summary>
    [Range(1, 1_000_000)]
    public int NumSteps { get; init; } = 128;

    /// <summary>Adam learning rate (initial value when annealed).</summary>
    [Range(1e-8, 1.0)]
    public double LearningRate { get; init; } = 2.5e-4;

    /// <summary>Adam's ε.</summary>
    [Range(1e-12, 1e-2)]
    public double AdamEpsilon { get; init; } = 1e-5;

    /// <summary>Anneal the learning rate linearly to 0 over the run.</summary>
    public bool AnnealLearningRate { get; init; } = true;

    /// <summary>Discount factor γ.</summary>
    [Range(0.0, 1.0)]
    public double Gamma { get; init; } = 0.99;

    /// <summary>GAE λ.</summary>
    [Range(0.0, 1.0)]
    public double GaeLambda { get; init; } = 0.95;

    /// <summary>Minibatches per epoch (minibatch size = NumEnvs × NumSteps / NumMinibatches).</summary>
    [Range(1, 1_000_000)]
    public int NumMinibatches { get; init; } = 4;

    /// <summary>Passes over each rollout.</summary>
    [Range(1, 1000)]
    public int UpdateEpochs { get; init; } = 4;

    /// <summary>Standardize advantages within each minibatch.</summary>
    public bool NormalizeAdvantages { get; init; } = true;

    /// <summary>Surrogate clipping coefficient ε (also used for the value clip).</summary>
    [Range(0.0, 10.0)]
    public double ClipCoef { get; init; } = 0.2;

    /// <summary>Clip the value loss around the rollout's values.</summary>
    public bool ClipValueLoss { get; init; } = true;

    /// <summary>Entropy bonus coefficient.</summary>
    [Range(0.0, 100.0)]
    public double EntropyCoef { get; init; } = 0.01;

    /// <summary>Value loss coefficient.</summary>
    [Range(0.0, 100.0)]
    public double ValueCoef { get; init; } = 0.5;

    /// <summary>Global gradient-norm clip.</summary>
    [Range(1e-6, 1e6)]
    public double MaxGradNorm { get; init; } = 0.5;

    /// <summary>
    /// Early stopping of an update, CleanRL's rule (<c>ppo.py</c>): after each epoch, when the approximate KL of that
    /// epoch's last minibatch exceeds this, the remaining epochs are skipped; an epoch always runs all its minibatches
    /// (unlike SB3, which stops mid-epoch at 1.5 × target_kl). Null never stops early.
    /// </summary>
    [Range(0.0, 100.0)]
    public double? TargetKl { get; init; }

    /// <summary>Add γ·V(final observation) to the reward of truncated steps, so time limits are not treated as terminal.</summary>
    public bool BootstrapTruncated { get; init; } = true;

    /// <summary>Hidden layer widths of the actor and of the critic.</summary>
    public int[] HiddenSizes { get; init; } = [64, 64];

    /// <summary>Hidden activation.</summary>
    public Activation Activation { get; init; } = Activation.Tanh;

    /// <summary>Initialisation of the heads' linear layers: orthogonal as CleanRL, normal_rows as rl-starter-files, or default (PyTorch's).</summary>
    public LinearInit Init { get; init; } = LinearInit.Orthogonal;

    /// <summary>
    /// Compute the forwards that record no graph (acting, rollouts, bootstrap values) in C# on the network's own parameters when every layer
    /// has a host form (all but bn, wn and grid encoders), which is several times faster than libtorch at these sizes;
    /// false always uses libtorch. Both give the same values up to float32 rounding.
    /// </summary>
    public bool HostInference { get; init; } = true;

    /// <summary>
    /// What reads the observation before the actor and critic heads: <c>auto</c> picks <c>grid</c> for MiniGrid images
    /// ([W, H, 3] uint8) and <c>mlp</c> otherwise; <c>grid</c> is one convolutional <see cref="GridEncoder"/> shared by
    /// both heads (as rl-starter-files' <c>image_conv</c>); <c>mlp</c> feeds the flat observation to the heads.
    /// </summary>
    public ObservationEncoder Encoder { get; init; } = ObservationEncoder.Auto;

    /// <summary>Factor applied to grid observations before the first convolution (1 = Minigrid's raw integer codes, as rl-starter-files).</summary>
    [Range(1e-6, 1e6)]
    public double GridObservationScale { get; init; } = 1.0;

    /// <summary>Hidden-layer normalizer: none, bn, ln, wn, rn, rln, rnln, rnr or probe.</summary>
    public NormalizerKind Normalizer { get; init; } = NormalizerKind.None;

    /// <summary>Options of the normalizer.</summary>
    public NormalizerOptions NormalizerOptions { get; init; } = NormalizerOptions.Default;

    /// <summary>Also apply RN-family layers to the logits and the value output, reproducing ACModelRN (SPEC 6.2); off by default (SPEC 6.3).</summary>
    public bool RnOnOutputs { get; init; }

    /// <summary>Which networks receive the reward prior of <c>rnr</c> (SPEC 5.3: the critic by default).</summary>
    public RewardPriorTarget RewardPriorOn { get; init; } = RewardPriorTarget.Critic;

    /// <summary>What the prior's classes are computed from: the reward, the return or the GAE advantage.</summary>
    public RewardPriorSource RewardPriorSource { get; init; } = RewardPriorSource.Reward;

    /// <summary>How the prior bins values into classes.</summary>
    public RewardPriorBinning RewardPriorBinning { get; init; } = RewardPriorBinning.Sign;

    /// <summary>
    /// Plasticity diagnostics (diagnostics.csv, docs/PLASTICITY.md) every this many updates (rollouts), on a fixed probe batch;
    /// 0 or null turns them off. They never change training.
    /// </summary>
    [Range(0, int.MaxValue)]
    public int? DiagnosticsEvery { get; init; } = 10;

    /// <summary>Observations in the diagnostics' probe batch (uniform random actions on an environment copy, seeded by the run's seed).</summary>
    [Range(2, 65536)]
    public int DiagnosticsProbeSize { get; init; } = 256;

    /// <summary>The plasticity intervention: none, l2init, snp, reset or redo (docs/PLASTICITY.md#interventions). None
    /// leaves training exactly as it is without interventions.</summary>
    public InterventionKind Intervention { get; init; } = InterventionKind.None;

    /// <summary>Options of the intervention: λ of l2init, α and σ of snp, the period and depth of reset, the period and τ of redo.</summary>
    public InterventionOptions InterventionOptions { get; init; } = InterventionOptions.Default;

    /// <summary>
    /// SPEC 8.2 (rl-starter-files' PPO): 16 envs × 128 steps, 4 epochs, minibatch 256, Adam 1e-3 (ε 1e-8), no annealing,
    /// γ 0.99, λ 0.95, clip 0.2, entropy 0.01, value 0.5, grad norm 0.5; one tanh hidden layer of 64 per head over the
    /// grid encoder (auto), rl-starter-files' N(0, 1) row-normalised linear init. RN-family normalizers score eval-mode
    /// batches size-invariantly (<see cref="NormalizerOptions.SizeInvariantEvidence"/>): rollouts run RN in eval mode on
    /// 16 observations while updates train it on 256, and with the paper's evidence S (which grows with ln N) the rollout
    /// policy's gain l would exceed the trained one's by ln 16 ≈ 2.8; on DoorKey-5x5 that mismatch kept the return at 0.
    /// </summary>
    public static PpoConfig MiniGrid { get; } = new()
    {
        NumEnvs = 16,
        NumSteps = 128,
        NumMinibatches = 8,
        UpdateEpochs = 4,
        LearningRate = 1e-3,
        AdamEpsilon = 1e-8,
        AnnealLearningRate = false,
        Gamma = 0.99,
        GaeLambda = 0.95,
        ClipCoef = 0.2,
        EntropyCoef = 0.01,
        ValueCoef = 0.5,
        MaxGradNorm = 0.5,
        HiddenSizes = [64],
        Activation = Activation.Tanh,
        Init = LinearInit.NormalRows,
        Encoder = ObservationEncoder.Auto,
        NormalizerOptions = NormalizerOptions.Default with { SizeInvariantEvidence = true },
    };

    /// <summary>CleanRL's CartPole defaults.</summary>
    public static PpoConfig Classic { get; } = new();
}
