using System.Globalization;
using System.Text.Json.Nodes;
using RLRegularity.Logging;

namespace RLRegularity.Agents.Common;

/// <summary>
/// The figures of summary.json, gathered from the episodes as they finish (and, on resume, from episodes.csv up to the
/// checkpoint): final and best 20-episode means, the step and wall second at which the 20-episode mean first reached
/// the env's reward threshold, and the run's totals.
/// </summary>
internal sealed class RunSummary : ITrainingObserver
{
    private const int Window = 20;
    private readonly List<(long Step, double Return, double Seconds)> _episodes = [];
    private readonly RunClock _clock;

    public RunSummary(RunClock clock, string? episodesCsvToResume)
    {
        _clock = clock;
        if (episodesCsvToResume is null) return;
        foreach (string line in File.ReadLines(episodesCsvToResume).Skip(1))
        {
            string[] cells = line.Split(',');
            _episodes.Add((long.Parse(cells[0], CultureInfo.InvariantCulture), double.Parse(cells[2], CultureInfo.InvariantCulture),
                           double.Parse(cells[4], CultureInfo.InvariantCulture)));
        }
    }

    /// <summary>The mean return of the last 20 episodes (NaN before the first).</summary>
    public double MeanReturn20 => _episodes.Count == 0 ? double.NaN : _episodes.TakeLast(Window).Average(e => e.Return);

    public void OnEpisode(EpisodeRecord episode) => _episodes.Add((episode.GlobalStep, episode.Return, _clock.EventSeconds));

    public void OnUpdate(UpdateRecord update) { }

    /// <summary>Writes summary.json for the finished run.</summary>
    public void Write(string path, ILearner learner, double? rewardThreshold)
    {
        double Mean(IEnumerable<double> xs) => xs.DefaultIfEmpty(double.NaN).Average();
        double best20 = double.NaN;
        long? solvedAt = null;
        double? solvedAtSeconds = null;
        for (int i = Window - 1; i < _episodes.Count; i++)
        {
            double m = _episodes.Skip(i - Window + 1).Take(Window).Average(e => e.Return);
            if (double.IsNaN(best20) || m > best20) best20 = m;
            if (solvedAt is null && rewardThreshold is double threshold && m >= threshold) (solvedAt, solvedAtSeconds) = (_episodes[i].Step, _episodes[i].Seconds);
        }
        double wallSeconds = _clock.WallSeconds;
        IEnumerable<double> returns = _episodes.Select(e => e.Return);
        var summary = new JsonObject
        {
            ["final_mean_return_100"] = JsonFinite(Mean(returns.TakeLast(100))),
            ["final_mean_return_20"] = JsonFinite(Mean(returns.TakeLast(Window))),
            ["best_mean_return_20"] = JsonFinite(best20),
            ["best_episode_return"] = JsonFinite(returns.DefaultIfEmpty(double.NaN).Max()),
            ["reward_threshold"] = rewardThreshold is double t ? t : null,
            ["solved_at_step"] = solvedAt,
            ["solved_at_seconds"] = solvedAtSeconds,
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
