using System.Diagnostics;

namespace RLRegularity.Agents.Common;

/// <summary>Reports live figures of a run to <see cref="Report"/> at most once per <see cref="Interval"/>.</summary>
internal sealed class ProgressObserver(ILearner learner, long totalSteps, RunClock clock, Func<double> meanReturn20) : ITrainingObserver
{
    private readonly long _stepAtStart = learner.GlobalStep;
    private long _lastTicks;

    /// <summary>Receives the figures; nothing is computed while it is null.</summary>
    public Action<RunProgress>? Report { get; set; }

    /// <summary>The least time between two reports (zero: at every episode and update).</summary>
    public TimeSpan Interval { get; set; } = TimeSpan.FromMilliseconds(200);

    public void OnEpisode(EpisodeRecord episode) => Tick();

    public void OnUpdate(UpdateRecord update) => Tick();

    private void Tick()
    {
        if (Report is null) return;
        long now = Stopwatch.GetTimestamp();
        if (Stopwatch.GetElapsedTime(_lastTicks, now) < Interval) return;
        _lastTicks = now;
        double sps = (learner.GlobalStep - _stepAtStart) / Math.Max(clock.SessionSeconds, 1e-9);
        Report(new RunProgress(learner.GlobalStep, totalSteps, learner.Episodes, meanReturn20(), sps, TimeSpan.FromSeconds(clock.WallSeconds)));
    }
}
