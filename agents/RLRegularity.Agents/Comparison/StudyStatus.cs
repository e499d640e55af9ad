namespace RLRegularity.Agents.Comparison;

/// <summary>
/// Every cell of a study with its state: done (a finished run folder), running (a Slurm task runs it, or a local worker
/// holds its lock), pending (queued, or not yet run) or failed (its last submission ended without finishing it).
/// </summary>
/// <param name="Cells">The cells' states, in manifest order.</param>
/// <param name="QueuedJobs">The study's jobs still in Slurm's queue (arrays and aggregation).</param>
/// <param name="HasSummary">True when summary.json exists.</param>
/// <param name="QueueProblem">Why Slurm's queue could not be read (then only the cells' files were), or null.</param>
public sealed record StudyStatus(IReadOnlyList<CellStatus> Cells, IReadOnlyList<string> QueuedJobs, bool HasSummary, string? QueueProblem = null)
{
    /// <summary>Reads the study's state; Slurm's queue is asked only if the study was ever submitted.</summary>
    public static StudyStatus Read(StudyManifest manifest)
    {
        IReadOnlyList<SlurmSubmission> submissions = SlurmSubmission.ReadAll(manifest.Folder);
        var queue = new Dictionary<(string Job, int Task), (string State, string Id)>();
        string? queueProblem = null;
        try
        {
            if (submissions.Count > 0) queue = SlurmCommands.Queue();
        }
        catch (InvalidOperationException e)
        {
            queueProblem = e.Message;
        }
        var cells = new List<CellStatus>();
        foreach (StudyCell cell in manifest.Cells)
        {
            // The submission that ran the cell last: a re-submission holds only the cells that were missing.
            SlurmSubmission? latest = submissions.LastOrDefault(s => s.TaskOf(cell.Index) is not null);
            string? task = latest?.TaskOf(cell.Index);
            SlurmArray? array = latest?.Arrays.First(a => a.Cells.Contains(cell.Index));
            (CellState state, string? reason) = ComparisonStudy.Inspect(cell.Folder);
            string log = array is null ? "" : Path.Combine(manifest.Folder, "slurm", "logs", $"cell-{array.Job}_{cell.Index - array.Offset}.out");
            if (state == CellState.Finished)
                cells.Add(new CellStatus(cell, CellProgress.Done, task, ""));
            else if (array is not null && queue.TryGetValue((array.Job, cell.Index - array.Offset), out var queued))
                cells.Add(new CellStatus(cell, queued.State is "RUNNING" or "COMPLETING" or "CONFIGURING" ? CellProgress.Running : CellProgress.Pending, task, queued.State.ToLowerInvariant()));
            else if (Common.TrainingRun.IsInUse(cell.Folder))
                cells.Add(new CellStatus(cell, CellProgress.Running, task, ""));
            else if (array is not null && queueProblem is null)
                cells.Add(new CellStatus(cell, CellProgress.Failed, task, $"{(state == CellState.Interrupted ? "interrupted (resumable)" : reason ?? "not run")}; log {log}"));
            else
                cells.Add(new CellStatus(cell, CellProgress.Pending, null, state == CellState.Interrupted ? "interrupted (resumable)" : "not run"));
        }
        string[] jobs = [.. submissions.SelectMany(s => s.Arrays.Select(a => a.Job).Append(s.AggregateJob)).Where(j => queue.Keys.Any(k => k.Job == j))];
        return new StudyStatus(cells, jobs, File.Exists(Path.Combine(manifest.Folder, "summary.json")), queueProblem);
    }

    /// <summary>Cells in <paramref name="state"/>.</summary>
    public int Count(CellProgress state) => Cells.Count(c => c.State == state);

    /// <summary>One line: <c>4 cells: 2 done, 1 running, 1 pending, 0 failed</c>.</summary>
    public string Line => $"{Cells.Count} cells: {Count(CellProgress.Done)} done, {Count(CellProgress.Running)} running, {Count(CellProgress.Pending)} pending, {Count(CellProgress.Failed)} failed";
}
