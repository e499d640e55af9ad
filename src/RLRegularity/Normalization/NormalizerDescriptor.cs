namespace RLRegularity.Normalization;

/// <summary>What a normalizer is and what the networks and agents need to know of it.</summary>
/// <param name="Kind">The normalizer.</param>
/// <param name="Name">Its name in configs, on the command line and in plots.</param>
/// <param name="Description">One line for help texts.</param>
/// <param name="IsRegularityFamily">It has RN state and a probe (regularity.csv).</param>
/// <param name="TakesRewardPrior">Its RN layers read a per-sample reward prior, which the agents compute for every training batch.</param>
/// <param name="AddsLayer">It puts a module after the linear layers (none and wn do not: wn lives in the linear layers).</param>
/// <param name="NormalizesOutputs">With <c>rn_on_outputs</c>, it also normalizes a network's outputs (the RN family but rnln).</param>
/// <param name="HasHostForm">The C# inference path (HostMlp) can run it.</param>
public sealed record NormalizerDescriptor(NormalizerKind Kind, string Name, string Description, bool IsRegularityFamily, bool TakesRewardPrior,
                                          bool AddsLayer, bool NormalizesOutputs, bool HasHostForm);
