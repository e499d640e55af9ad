namespace RLRegularity.Agents.Common;

/// <summary>How a run ended.</summary>
public enum RunOutcome
{
    /// <summary>All steps done; the final checkpoint and summary.json are written.</summary>
    Completed,
    /// <summary>Stopped by a signal; a checkpoint was written and the run can be resumed.</summary>
    Interrupted,
}
