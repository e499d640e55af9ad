using System.Text.Json.Nodes;
using RLRegularity.Logging;
using RLRegularity.Records;
using RLRegularity.Statistics;

namespace RLRegularity.Agents.Common;

/// <summary>
/// The figures of summary.json, gathered from the episodes as they finish (and, on resume, from episodes.csv up to the
/// checkpoint): final and best 20-episode means, the step and wall second at which the 20-episode mean first reached
/// the env's reward threshold, and the run's totals.
/// </summary>
internal sealed class RunSummary : ITrainingObserver
{
    private readonly List<(long Step, double Return, double Seconds)> _episodes = [];
    private readonly RunClock _clock;

    public RunSummary(RunClock clock, string? episodesCsvToResume)
    {
        _clock = clock;
        if (episodesCsvToResume is null) return;
        foreach (EpisodeRow episode in CsvSchema<EpisodeRow>.ReadAll(episodesCsvToResume))
            _episodes.Add((episode.GlobalStep, episode.Return, episode.WallSeconds));
    }

    /// <summary>The mean return of the last 20 episodes (NaN before the first).</summary>
    public double MeanReturn20 => _episodes.Count == 0 ? double.NaN : _episodes.TakeLast(LearningCurveMetrics.RollingWindow).Average(e => e.Return);

    public void OnEpisode(EpisodeRecord episode) => _episodes.Add((episode.GlobalStep, episode.Return, _clock.EventSeconds));

    public void OnUpdate(UpdateRecord update) { }

    /// <summary>Writes summary.json for the finished run.</summary>
    public void Write(string path, ILearner learner, double? rewardThreshold)
    {
        double Mean(IEnumerable<double> xs) => xs.DefaultIfEmpty(double.NaN).Average();
        long[] steps = [.. _episodes.Select(e => e.Step)];
        double[] returns = [.. _episodes.Select(e => e.Return)];
        double best20 = LearningCurveMetrics.BestRollingMean(returns, LearningCurveMetrics.RollingWindow);
        int? solved = rewardThreshold is double threshold ? LearningCurveMetrics.EpisodeReachingThreshold(returns, threshold) : null;
        double wallSeconds = _clock.WallSeconds;
        var summary = new JsonObject
        {
            ["final_mean_return_100"] = JsonFinite(Mean(returns.TakeLast(100))),
            ["final_mean_return_20"] = JsonFinite(Mean(returns.TakeLast(LearningCurveMetrics.RollingWindow))),
            ["best_mean_return_20"] = JsonFinite(best20),
            ["best_episode_return"] = JsonFinite(returns.DefaultIfEmpty(double.NaN).Max()),
            ["reward_threshold"] = rewardThreshold is double t ? t : null,
            ["solved_at_step"] = solved is int i ? steps[i] : null,
            ["solved_at_seconds"] = solved is int j ? _episodes[j].Seconds : null,
            ["episodes"] = learner.Episodes,
            ["steps"] = learner.GlobalStep,
            ["updates"] = learner.Updates,
            ["wall_seconds"] = Math.Round(wallSeconds, 3),
            ["steps_per_second"] = Math.Round(learner.GlobalStep / Math.Max(wallSeconds, 1e-9), 1),
        };
        AtomicFile.WriteAllText(path, summary.ToJsonString(ConfigBinding.JsonOptions));
    }

    private static JsonNode? JsonFinite(double v) => double.IsFinite(v) ? JsonValue.Create(v) : null;
}
