namespace RLRegularity.Agents.Common;

/// <summary>The plasticity diagnostics of one hidden layer on the probe batch (a row of diagnostics.csv without its step;
/// see <see cref="Records.DiagnosticsRow"/> for each value's meaning).</summary>
public sealed record LayerDiagnostics(string Network, string Layer, int Units,
                                      double DormantFractionTau0, double DormantFractionTau0025, double DormantFractionTau01,
                                      double EffectiveRank, int Srank99, double WeightRms, double WeightDistanceFromInitRms, double GradNorm);
