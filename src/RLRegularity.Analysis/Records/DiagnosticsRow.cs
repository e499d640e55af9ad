namespace RLRegularity.Records;

/// <summary>A row of diagnostics.csv: the plasticity diagnostics of one hidden layer of one policy network on the run's
/// fixed probe batch after a learning update (docs/PLASTICITY.md defines each metric).</summary>
/// <param name="GlobalStep">The environment step of the update.</param>
/// <param name="Update">The update's number.</param>
/// <param name="Network">The network (<c>actor</c>, <c>critic</c>, <c>online</c>).</param>
/// <param name="Layer">The hidden layer (<c>fc1</c>, <c>fc2</c>, ...): its linear layer, normalizer and activation.</param>
/// <param name="Units">The layer's width.</param>
/// <param name="DormantFractionTau_0">Fraction of units with score ≤ 0 (Sokar et al.'s score: mean |activation| over the batch over the layer's mean).</param>
/// <param name="DormantFractionTau_0_025">Fraction of units with score ≤ 0.025.</param>
/// <param name="DormantFractionTau_0_1">Fraction of units with score ≤ 0.1.</param>
/// <param name="EffectiveRank">exp of the entropy of the batch × units activation matrix's normalized singular values.</param>
/// <param name="Srank_99">The fewest singular values holding ≥ 99% of their sum.</param>
/// <param name="WeightRms">RMS of the layer's incoming linear weights.</param>
/// <param name="WeightDistanceFromInitRms">RMS of those weights minus their initial values.</param>
/// <param name="GradNorm">L2 norm of those weights' gradient on the update's last minibatch, before clipping.</param>
public sealed record DiagnosticsRow(long GlobalStep, long Update, string Network, string Layer, int Units,
                                    double DormantFractionTau_0, double DormantFractionTau_0_025, double DormantFractionTau_0_1,
                                    double EffectiveRank, int Srank_99, double WeightRms, double WeightDistanceFromInitRms, double GradNorm);
