namespace RLRegularity.Records;

/// <summary>A row of regularity.csv: the probe of one RN-family layer after a learning update.</summary>
/// <param name="GlobalStep">The environment step of the update.</param>
/// <param name="Update">The update's number.</param>
/// <param name="Layer">The layer's name (network and position, e.g. <c>q.norm0</c>).</param>
/// <param name="Calls">Forward calls the layer has seen.</param>
/// <param name="CodeLength">The code length l of its last call (empty before the first).</param>
/// <param name="CodeLengthBatchMean">The batch mean of the per-row code lengths (empty where not per row).</param>
/// <param name="Comp">The accumulated normalizer COMP.</param>
/// <param name="Mean">The running mean of the layer's activations.</param>
/// <param name="Std">Their running standard deviation.</param>
/// <param name="Count">Elements seen.</param>
/// <param name="NonPositive">Calls whose code length was ≤ 0.</param>
/// <param name="Initialized">Whether the layer has statistics yet (written 1 or 0).</param>
public sealed record RegularityRow(long GlobalStep, long Update, string Layer, long Calls, double? CodeLength, double? CodeLengthBatchMean,
                                   double Comp, double Mean, double Std, long Count, long NonPositive, bool Initialized);
