using System.Diagnostics;

namespace RLRegularity.Agents.Common;

/// <summary>A run's wall time over all its sessions: the seconds before this session (from the checkpoint it resumed)
/// plus this session's stopwatch.</summary>
public sealed class RunClock(double secondsBefore)
{
    private readonly Stopwatch _session = new();

    /// <summary>Starts (or continues) this session's stopwatch.</summary>
    public void Start() => _session.Start();

    /// <summary>Seconds of this session so far.</summary>
    public double SessionSeconds => _session.Elapsed.TotalSeconds;

    /// <summary>Seconds over the whole run.</summary>
    public double WallSeconds => secondsBefore + _session.Elapsed.TotalSeconds;

    /// <summary>The run's seconds at the last <see cref="Stamp"/>, rounded to milliseconds: the one time every log
    /// gives an event.</summary>
    public double EventSeconds { get; private set; }

    /// <summary>Fixes <see cref="EventSeconds"/> for the event being logged.</summary>
    public void Stamp() => EventSeconds = Math.Round(WallSeconds, 3);
}
