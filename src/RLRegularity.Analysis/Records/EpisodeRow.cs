namespace RLRegularity.Records;

/// <summary>A row of episodes.csv: one finished training episode.</summary>
/// <param name="GlobalStep">The environment step (summed over vector copies) at which it finished.</param>
/// <param name="Episode">Its number, from 1, over the whole run.</param>
/// <param name="Return">Its undiscounted return.</param>
/// <param name="Length">Its length in steps.</param>
/// <param name="WallSeconds">The run's wall seconds when it finished (over all sessions of a resumed run).</param>
/// <param name="ScheduleValue">A non-stationary task's schedule value at its end (empty for stationary tasks).</param>
public sealed record EpisodeRow(long GlobalStep, long Episode, double Return, int Length, double WallSeconds, double? ScheduleValue);
