using System.Diagnostics;
using System.Runtime.InteropServices;
using System.Text.Json;

namespace RLRegularity.Agents.Comparison;

/// <summary>
/// Runs a study's cells on this machine: each unfinished cell as its own <c>rlreg train</c> process (one TorchSharp
/// thread each, at most <see cref="Jobs"/> at a time); finished cells are skipped, interrupted ones resumed, corrupt
/// ones re-run. Cancelling asks every worker to checkpoint and exit (SIGTERM); the next run resumes them.
/// </summary>
/// <param name="program">This rlreg, to start the workers with.</param>
/// <param name="jobs">Workers at a time.</param>
/// <param name="log">Where started, finished and failed cells are reported.</param>
public sealed partial class LocalExecutor(RlregProgram program, int jobs, TextWriter log) : IStudyExecutor
{
    /// <summary>Workers at a time.</summary>
    public int Jobs { get; } = jobs >= 1 ? jobs : throw new ArgumentOutOfRangeException(nameof(jobs), "at least one job");

    /// <inheritdoc />
    public string Name => "local";

    /// <summary>The cells of the current <see cref="Execute"/>, with their progress (for a live display).</summary>
    public IReadOnlyList<LocalCellRun> Cells { get; private set; } = [];

    /// <summary>Called about ten times a second while cells run (for a live display); null: started and finished cells are logged instead.</summary>
    public Action? Refresh { get; set; }

    /// <inheritdoc />
    public bool Execute(StudyManifest manifest, CancellationToken cancellation)
    {
        var cells = new List<LocalCellRun>();
        foreach (StudyCell cell in manifest.Cells)
        {
            while (Common.TrainingRun.IsInUse(cell.Folder))
            {
                // A worker of an earlier, killed compare may still be finishing this cell.
                log.WriteLine($"waiting for {cell.Folder}, which another process is still writing");
                Thread.Sleep(2000);
            }
            bool interrupted = ComparisonStudy.Inspect(cell.Folder).State == CellState.Interrupted;
            if (cell.NextArguments(log) is { } arguments)
                cells.Add(new LocalCellRun(cell, arguments, manifest.Study.Steps) { Status = interrupted ? "resuming" : "waiting" });
        }
        int finishedEarlier = manifest.Cells.Count - cells.Count;
        if (finishedEarlier > 0) log.WriteLine($"{finishedEarlier} cell(s) already finished; {cells.Count} to run");
        Cells = cells;
        if (cells.Count == 0) return true;

        var pending = new Queue<LocalCellRun>(cells);
        var running = new List<LocalCellRun>();
        bool forwarded = false;
        while (pending.Count > 0 || running.Count > 0)
        {
            if (cancellation.IsCancellationRequested && !forwarded)
            {
                // Let every worker write its checkpoint and exit (the next run resumes them); start no new ones.
                foreach (LocalCellRun c in running) SendTerminate(c.Process!);
                pending.Clear();
                forwarded = true;
            }
            while (!cancellation.IsCancellationRequested && running.Count < Jobs && pending.Count > 0)
            {
                LocalCellRun cell = pending.Dequeue();
                cell.Process = StartWorker(cell);
                cell.Status = "running";
                running.Add(cell);
                if (Refresh is null) log.WriteLine($"started {cell.Cell.Name}");
            }
            foreach (LocalCellRun cell in running.ToList())
            {
                if (!cell.Process!.HasExited) continue;
                cell.Process.WaitForExit();
                int code = cell.Process.ExitCode;
                cell.Status = code == 0 ? "done" : code == Interrupted ? "interrupted" : $"failed ({code})";
                if (code == 0) cell.Step = manifest.Study.Steps;
                if (code != 0 && code != Interrupted) log.WriteLine($"run {cell.Cell.Folder} failed with exit code {code}: {cell.LastError}");
                else if (Refresh is null) log.WriteLine($"{cell.Status}: {cell.Cell.Name}");
                cell.Process.Dispose();
                running.Remove(cell);
            }
            Refresh?.Invoke();
            Thread.Sleep(100);
        }
        return !cancellation.IsCancellationRequested && cells.All(c => c.Status == "done");
    }

    // rlreg train's exit code after a clean interruption (checkpoint written).
    private const int Interrupted = 130;

    private Process StartWorker(LocalCellRun cell)
    {
        var info = new ProcessStartInfo(program.Program) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (string a in program.Prefix) info.ArgumentList.Add(a);
        foreach (string a in cell.Arguments) info.ArgumentList.Add(a);
        info.ArgumentList.Add("--progress-json");
        info.Environment[RlregProgram.ExecutorVariable] = Name;
        var process = Process.Start(info) ?? throw new InvalidOperationException($"could not start a worker for {cell.Cell.Folder}");
        process.OutputDataReceived += (_, e) =>
        {
            if (e.Data is { } line && line.StartsWith("{\"progress\":", StringComparison.Ordinal))
            {
                try
                {
                    cell.Step = JsonDocument.Parse(line).RootElement.GetProperty("progress").GetInt64();
                }
                catch (JsonException)
                {
                    // A torn line: the next one will do.
                }
            }
        };
        process.ErrorDataReceived += (_, e) =>
        {
            if (!string.IsNullOrWhiteSpace(e.Data)) cell.LastError = e.Data;
        };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return process;
    }

    [LibraryImport("libc", EntryPoint = "kill", SetLastError = true)]
    private static partial int Kill(int pid, int signal);

    private static void SendTerminate(Process process)
    {
        const int Sigterm = 15;
        if (!process.HasExited) Kill(process.Id, Sigterm);
    }
}
