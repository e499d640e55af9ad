using System.Diagnostics;

namespace RLRegularity.Agents.Comparison;

/// <summary>A cell being run by <see cref="LocalExecutor"/>: what it runs, how far it is and how it ended.</summary>
/// <param name="cell">The cell.</param>
/// <param name="arguments">The rlreg arguments it runs (a fresh train or a resume).</param>
/// <param name="steps">Its step budget.</param>
public sealed class LocalCellRun(StudyCell cell, string[] arguments, long steps)
{
    /// <summary>The cell.</summary>
    public StudyCell Cell { get; } = cell;

    /// <summary>The rlreg arguments it runs.</summary>
    public string[] Arguments { get; } = arguments;

    /// <summary>Its step budget.</summary>
    public long Steps { get; } = steps;

    /// <summary>Environment steps done, from the worker's progress lines.</summary>
    public long Step { get; set; }

    /// <summary>waiting, resuming, running, done, interrupted or failed (code).</summary>
    public string Status { get; set; } = "waiting";

    /// <summary>The worker's last line on stderr (shown when it fails).</summary>
    public string LastError { get; set; } = "";

    internal Process? Process { get; set; }
}
