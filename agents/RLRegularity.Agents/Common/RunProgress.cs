namespace RLRegularity.Agents.Common;

/// <summary>Live figures of a run, for a progress display.</summary>
public sealed record RunProgress(long Step, long TotalSteps, long Episodes, double MeanReturn20, double StepsPerSecond, TimeSpan Elapsed);
