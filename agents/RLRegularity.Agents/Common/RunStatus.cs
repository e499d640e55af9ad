namespace RLRegularity.Agents.Common;

/// <summary>Where a run stands.</summary>
public enum RunStatus
{
    /// <summary>All steps done; summary.json is written.</summary>
    Finished,
    /// <summary>Another process is training it now (it holds the folder's lock).</summary>
    Running,
    /// <summary>Stopped before the end; <c>rlreg train --resume</c> continues it.</summary>
    Interrupted,
    /// <summary>Created, but stopped before its first checkpoint (a resume starts it over).</summary>
    NotStarted,
}
