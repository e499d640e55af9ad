using System.Text;

namespace RLRegularity.Agents.Comparison;

/// <summary>
/// Submits a study's unfinished cells to Slurm: writes one sbatch script into the study folder (slurm/study.sbatch),
/// submits it as job arrays whose task i runs manifest cell offset + i (<c>rlreg compare --run-cell DIR --index</c>,
/// which skips a finished cell and resumes an interrupted one), at most <see cref="SlurmOptions.Throttle"/> at a time,
/// split into several arrays beyond the cluster's MaxArraySize; then an aggregation job that runs after all of them
/// (<c>afterany</c>, so failed cells are listed rather than blocking it) and writes summary.json and summary.md.
/// Queueing, placement and retries are Slurm's; nothing here waits.
/// </summary>
/// <param name="program">This rlreg (absolute paths), which the script calls.</param>
/// <param name="options">Throttle and site flags.</param>
/// <param name="log">Where the submissions are reported.</param>
public sealed class SlurmExecutor(RlregProgram program, SlurmOptions options, TextWriter log) : IStudyExecutor
{
    /// <summary>The sbatch script, relative to the study folder.</summary>
    public const string ScriptFile = "slurm/study.sbatch";

    /// <inheritdoc />
    public string Name => "slurm";

    /// <summary>The submission made by the last <see cref="Execute"/>, or null if every cell was finished.</summary>
    public SlurmSubmission? Submitted { get; private set; }

    /// <inheritdoc />
    public bool Execute(StudyManifest manifest, CancellationToken cancellation)
    {
        Submitted = null;
        var queue = SlurmCommands.Queue();
        string[] active = [.. SlurmSubmission.ReadAll(manifest.Folder).SelectMany(s => s.Arrays.Select(a => a.Job).Append(s.AggregateJob))
            .Where(job => queue.Keys.Any(k => k.Job == job)).Distinct()];
        if (active.Length > 0)
            throw new InvalidOperationException($"'{manifest.Folder}' still has jobs in the Slurm queue ({string.Join(", ", active)}); " +
                                                $"wait for them (rlreg compare --status {manifest.Folder}) or scancel them, then submit again");
        int[] toRun = [.. manifest.Cells.Where(c => ComparisonStudy.Inspect(c.Folder).State != CellState.Finished).Select(c => c.Index)];
        if (toRun.Length == 0)
        {
            log.WriteLine($"all {manifest.Cells.Count} cells are finished; nothing to submit");
            return true;
        }
        string script = WriteScript(manifest);
        string logs = Path.Combine(manifest.Folder, "slurm", "logs");
        Directory.CreateDirectory(logs);
        // A summary from an earlier submission would be taken for this one's.
        File.Delete(Path.Combine(manifest.Folder, "summary.json"));
        File.Delete(Path.Combine(manifest.Folder, "summary.md"));
        var arrays = new List<SlurmArray>();
        foreach ((int offset, int[] cells, string spec) in SlurmArray.Plan(toRun, SlurmCommands.MaxArraySize(), options.Throttle))
        {
            string job = JobId(SlurmCommands.Run("sbatch", "--parsable", $"--array={spec}", script, "cell", offset.ToString(System.Globalization.CultureInfo.InvariantCulture)));
            arrays.Add(new SlurmArray(job, offset, cells));
            log.WriteLine($"submitted array job {job}: {cells.Length} cell(s), --array={spec}{(offset > 0 ? $" (index + {offset})" : "")}");
        }
        string aggregate = JobId(SlurmCommands.Run("sbatch", "--parsable", $"--dependency=afterany:{string.Join(':', arrays.Select(a => a.Job))}",
            "--output=" + Path.Combine(logs, "aggregate-%j.out"), script, "aggregate"));
        log.WriteLine($"submitted aggregation job {aggregate} (runs after the array{(arrays.Count > 1 ? "s" : "")}; writes summary.json and summary.md)");
        Submitted = new SlurmSubmission(arrays, aggregate);
        Submitted.Append(manifest.Folder);
        return false;
    }

    // sbatch --parsable prints "id" or "id;cluster".
    private static string JobId(string output) => output.Trim().Split(';')[0];

    /// <summary>Writes the study's sbatch script (one for all its arrays and the aggregation) and returns its absolute path.</summary>
    public string WriteScript(StudyManifest manifest)
    {
        static string Quote(string s) => "'" + s.Replace("'", "'\\''") + "'";
        string rlreg = string.Join(' ', new[] { program.Program }.Concat(program.Prefix).Select(Quote));
        string folder = Quote(manifest.Folder);
        string name = "rlreg-" + string.Concat(Path.GetFileName(manifest.Folder).Take(40).Select(c => char.IsLetterOrDigit(c) || c is '-' or '_' or '.' ? c : '_'));
        var text = new StringBuilder();
        text.Append("#!/bin/bash\n");
        text.Append($"# Written by rlreg compare --executor slurm for {manifest.Folder}.\n");
        text.Append("# `sbatch --array=I,J,... THIS cell 0` runs manifest cells I, J, ... (index = offset + SLURM_ARRAY_TASK_ID);\n");
        text.Append("# `sbatch THIS aggregate` writes summary.json and summary.md. A finished cell is skipped, an interrupted one resumed.\n");
        text.Append($"#SBATCH --job-name={name}\n");
        text.Append($"#SBATCH --output={Path.Combine(manifest.Folder, "slurm", "logs", "cell-%A_%a.out")}\n");
        foreach (string flag in options.Flags()) text.Append($"#SBATCH {flag}\n");
        text.Append("set -eu\n");
        text.Append($"export {RlregProgram.ExecutorVariable}=slurm\n");
        text.Append("case \"${1:-}\" in\n");
        text.Append($"    cell) exec {rlreg} compare --run-cell {folder} --index \"$(( ${{2:-0}} + SLURM_ARRAY_TASK_ID ))\" ;;\n");
        text.Append($"    aggregate) exec {rlreg} compare --aggregate {folder} ;;\n");
        text.Append("    *) echo \"usage: sbatch --array=... $0 cell OFFSET | sbatch $0 aggregate\" >&2; exit 2 ;;\n");
        text.Append("esac\n");
        string path = Path.Combine(manifest.Folder, ScriptFile);
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        Logging.AtomicFile.WriteAllText(path, text.ToString());
        if (!OperatingSystem.IsWindows()) File.SetUnixFileMode(path, File.GetUnixFileMode(path) | UnixFileMode.UserExecute);
        return path;
    }
}
