namespace RLRegularity.Envs.NonStationary;

/// <summary>What a registered non-stationary task changes, and when (printed in run configs, used for plot markers).</summary>
/// <param name="What">A short description, e.g. "pole half-length 0.5 → 0.2 m".</param>
/// <param name="Schedule">The schedule over the global step.</param>
public sealed record TaskChange(string What, DriftSchedule Schedule);
