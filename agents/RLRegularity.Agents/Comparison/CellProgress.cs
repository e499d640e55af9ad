namespace RLRegularity.Agents.Comparison;

/// <summary>Where a cell stands in a study's run, as <c>rlreg compare --status</c> reports it.</summary>
public enum CellProgress
{
    /// <summary>Its run folder is finished.</summary>
    Done,
    /// <summary>A Slurm task or a local worker is running it.</summary>
    Running,
    /// <summary>Queued in Slurm, or not run yet.</summary>
    Pending,
    /// <summary>Its last submission ended without finishing it (cancelled, crashed, out of time without requeue).</summary>
    Failed,
}
