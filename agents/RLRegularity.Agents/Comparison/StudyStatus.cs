namespace RLRegularity.Agents.Comparison;

/// <summary>Where one cell of a study stands, from its own files and, for a submitted study, Slurm's queue.</summary>
/// <param name="Cell">The cell.</param>
/// <param name="State">done, running, pending or failed.</param>
/// <param name="SlurmTask">The array task that runs or ran it (<c>123_4</c>), or null.</param>
/// <param name="Detail">Why it failed, or where its log is; empty otherwise.</param>
public sealed record CellStatus(StudyCell Cell, string State, string? SlurmTask, string Detail);

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
                cells.Add(new CellStatus(cell, "done", task, ""));
            else if (array is not null && queue.TryGetValue((array.Job, cell.Index - array.Offset), out var queued))
                cells.Add(new CellStatus(cell, queued.State is "RUNNING" or "COMPLETING" or "CONFIGURING" ? "running" : "pending", task, queued.State.ToLowerInvariant()));
            else if (Common.TrainingRun.IsInUse(cell.Folder))
                cells.Add(new CellStatus(cell, "running", task, ""));
            else if (array is not null && queueProblem is null)
                cells.Add(new CellStatus(cell, "failed", task, $"{(state == CellState.Interrupted ? "interrupted (resumable)" : reason ?? "not run")}; log {log}"));
            else
                cells.Add(new CellStatus(cell, "pending", null, state == CellState.Interrupted ? "interrupted (resumable)" : "not run"));
        }
        string[] jobs = [.. submissions.SelectMany(s => s.Arrays.Select(a => a.Job).Append(s.AggregateJob)).Where(j => queue.Keys.Any(k => k.Job == j))];
        return new StudyStatus(cells, jobs, File.Exists(Path.Combine(manifest.Folder, "summary.json")), queueProblem);
    }

    /// <summary>Cells in <paramref name="state"/>.</summary>
    public int Count(string state) => Cells.Count(c => c.State == state);

    /// <summary>One line: <c>4 cells: 2 done, 1 running, 1 pending, 0 failed</c>.</summary>
    public string Line => $"{Cells.Count} cells: {Count("done")} done, {Count("running")} running, {Count("pending")} pending, {Count("failed")} failed";
}
