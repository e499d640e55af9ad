namespace RLRegularity.Normalization;

/// <summary>The probe of one RN-family layer after its last call (what regularity.csv records).</summary>
/// <param name="Layer">The layer's name, e.g. fc1.rn.</param>
/// <param name="Calls">Forward calls so far.</param>
/// <param name="CodeLength">The last code length l (RLN: mean over units); null if the last call was degenerate or a pass-through.</param>
/// <param name="CodeLengthBatchMean">With a prior: the batch mean of l_b; for RLN: the mean over units; else equal to CodeLength.</param>
/// <param name="Comp">COMP (RLN: mean over units).</param>
/// <param name="Mean">Running mean μ.</param>
/// <param name="Std">Running standard deviation σ.</param>
/// <param name="Count">Elements seen in training calls.</param>
/// <param name="NonPositiveCodeLengths">Eval calls whose code length was ≤ 0 (SPEC §4 guard 4).</param>
/// <param name="Initialized">Whether a training call has happened.</param>
public sealed record RegularitySnapshot(string Layer, long Calls, double? CodeLength, double? CodeLengthBatchMean, double Comp, double Mean, double Std,
    long Count, long NonPositiveCodeLengths, bool Initialized);
