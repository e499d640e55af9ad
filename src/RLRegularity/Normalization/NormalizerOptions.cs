using TorchSharp;

namespace RLRegularity.Normalization;

/// <summary>How RN merges a batch's statistics into its history (SPEC §2.2, §7 item 3).</summary>
public enum HistoryMerge
{
    /// <summary>The paper's pooled within-group variance ((n−1)σ² + (N−1)s²)/(n+N−2), ignoring the mean shift.</summary>
    Pooled,
    /// <summary>Chan et al.'s exact merge: the variance of all data seen (includes the nN/(n+N)·Δμ² term, divisor n+N−1).</summary>
    Exact,
}

/// <summary>Which arithmetic scalar RN's calls on float32 activations use (docs/regularity-normalization.md#arithmetic).</summary>
public enum RegularityArithmetic
{
    /// <summary>Float32 element-wise work in three fused passes forward and two backward, with our own exponential;
    /// float64 sums and state.</summary>
    Fast,
    /// <summary>Float64 throughout, one TensorPrimitives pass per step: the arithmetic of the results published before
    /// the fast form became the default, kept so that they can be regenerated bit for bit.</summary>
    Reference,
}

/// <summary>
/// Options of the normalizers, with the paper's behaviour as default (SPEC §7 lists each option's reason).
/// </summary>
public sealed record NormalizerOptions
{
    /// <summary>The paper's behaviour everywhere.</summary>
    public static NormalizerOptions Default { get; } = new();

    /// <summary>COMP decay γ ∈ (0, 1]: C ← LSE(C + ln γ, S). 1 is the paper (COMP grows forever); γ &lt; 1 bounds l near −ln(1−γ). SPEC §7 item 1.</summary>
    public double ComplexityDecay { get; init; } = 1.0;

    /// <summary>History merge rule (SPEC §7 item 3).</summary>
    public HistoryMerge HistoryMerge { get; init; } = HistoryMerge.Pooled;

    /// <summary>Half-life of the history's weight, in elements seen: before each merge the stored count is multiplied by
    /// 2^(−N/half-life), so old statistics fade (SPEC §7 item 2). Null (the paper) keeps all-time statistics.</summary>
    public double? HistoryHalfLife { get; init; }

    /// <summary>In non-training calls, replace S by S + ln(N_ref/N) with N_ref the last training call's element count, so
    /// batch size does not shift the code length (SPEC §7 item 5). Off in the paper.</summary>
    public bool SizeInvariantEvidence { get; init; }

    /// <summary>Treat the code length as a constant in backpropagation (∂y/∂x = l). Off: the full gradient, as the paper's DQN (SPEC §2.10).</summary>
    public bool StopGradientThroughCodeLength { get; init; }

    /// <summary>Prior strength β of RN with a reward prior: l_b = l − β·ln s_b (SPEC §5.3); 1 is the paper's form, 0 is plain RN.</summary>
    public double PriorStrength { get; init; } = 1.0;

    /// <summary>σ below which a call is degenerate: output = input, COMP unchanged (SPEC §4 guard 2).</summary>
    public double SigmaMin { get; init; } = 1e-6;

    /// <summary>Smallest accepted prior weight; smaller ones are clamped with a warning (SPEC §5.3).</summary>
    public double PriorMin { get; init; } = 1e-6;

    /// <summary>For rnln: RN then LayerNorm (the probe/MiniGrid order, SPEC §3.2) instead of the recommended LayerNorm then RN.</summary>
    public bool RnThenLn { get; init; }

    /// <summary>LayerNorm's ε.</summary>
    public double LayerNormEpsilon { get; init; } = 1e-5;

    /// <summary>BatchNorm's ε.</summary>
    public double BatchNormEpsilon { get; init; } = 1e-5;

    /// <summary>BatchNorm's running-statistics momentum.</summary>
    public double BatchNormMomentum { get; init; } = 0.1;

    /// <summary>Scalar RN's arithmetic on float32 activations (per-unit RN and float64 activations always use the reference form).</summary>
    public RegularityArithmetic Arithmetic { get; init; } = RegularityArithmetic.Fast;

    /// <summary>Activation dtype of the networks (the RN state is always double).</summary>
    public torch.ScalarType DType { get; init; } = torch.ScalarType.Float32;
}
