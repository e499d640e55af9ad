using System.Diagnostics;
using System.Security.Cryptography;
using RLRegularity.Agents.Comparison;
using Xunit.Abstractions;

namespace RLRegularity.Cli.Tests;

/// <summary>
/// A 4-cell study (PPO on CartPole-v1, none/rn × 2 seeds × 2048 steps) on a real single-node Slurm: one array task is
/// cancelled mid-run, a re-submission runs only that cell (resuming it; the finished cells' files are untouched), and
/// the summary is byte for byte the local executor's. The test starts the cluster (tools/slurm/local-cluster.sh, as
/// root) when it is not up and stops it if it started it; where it cannot, it fails saying why.
/// </summary>
public sealed class SlurmStudyTests(ITestOutputHelper log) : IDisposable
{
    private readonly string _root = Directory.CreateTempSubdirectory("rlreg-slurm-").FullName;

    public void Dispose() => Directory.Delete(_root, recursive: true);

    private static readonly string[] Study = ["--agent", "ppo", "--env", "CartPole-v1", "--norms", "none,rn", "--seeds", "2", "--steps", "2048",
                                              "--set", "num_steps=64", "--quiet"];

    [Fact]
    public void ACancelledCellIsResubmittedAloneAndTheSummaryMatchesTheLocalOne()
    {
        using var cluster = LocalSlurm.Ensure();
        string local = Path.Combine(_root, "local"), slurm = Path.Combine(_root, "slurm");

        var clock = Stopwatch.StartNew();
        var localRun = CliRunner.Run(["compare", .. Study, "--out", local]);
        Assert.True(localRun.ExitCode == 0, localRun.Error);
        log.WriteLine($"local executor: {clock.Elapsed.TotalSeconds:F1} s");

        clock.Restart();
        var submit = CliRunner.Run(["compare", .. Study, "--executor", "slurm", "--jobs", "2", "--out", slurm]);
        Assert.True(submit.ExitCode == 0, submit.Error);
        StudyManifest manifest = StudyManifest.Read(slurm);
        Assert.Equal(4, manifest.Cells.Count);
        SlurmSubmission first = Assert.Single(SlurmSubmission.ReadAll(slurm));

        // Cancel the last cell once it has trained far enough to have written a checkpoint.
        StudyCell victim = manifest.Cells[3];
        string task = first.TaskOf(victim.Index)!;
        string checkpoints = Path.Combine(victim.Folder, "checkpoints");
        Until(() => Directory.Exists(checkpoints) && Directory.EnumerateFileSystemEntries(checkpoints).Any(), TimeSpan.FromSeconds(40), $"{task} to checkpoint");
        Run("scancel", task);
        Until(() => StudyStatus.Read(manifest).QueuedJobs.Count == 0, TimeSpan.FromSeconds(40), "the first submission to leave the queue");
        log.WriteLine($"slurm executor, first submission (one cell cancelled): {clock.Elapsed.TotalSeconds:F1} s");

        StudyStatus afterCancel = StudyStatus.Read(manifest);
        Assert.Equal([CellProgress.Done, CellProgress.Done, CellProgress.Done, CellProgress.Failed], afterCancel.Cells.Select(c => c.State));
        Assert.Equal(task, afterCancel.Cells[3].SlurmTask);
        Assert.Equal(CellState.Interrupted, ComparisonStudy.Inspect(victim.Folder).State);
        var status = CliRunner.Run("compare", "--status", slurm);
        Assert.Contains("4 cells: 3 done, 0 running, 0 pending, 1 failed", status.Output);
        Assert.Contains(task, status.Output);
        // The aggregation job ran after the array anyway and names the missing cell.
        Assert.Contains("rn/s2", File.ReadAllText(Path.Combine(slurm, "summary.json")));

        Dictionary<string, (string, DateTime)> finished = Snapshot(manifest.Cells.Take(3));
        clock.Restart();
        var resubmit = CliRunner.Run(["compare", .. Study, "--executor", "slurm", "--jobs", "2", "--wait", "--out", slurm]);
        Assert.True(resubmit.ExitCode == 0, resubmit.Error);
        log.WriteLine($"slurm executor, re-submission of the missing cell with --wait: {clock.Elapsed.TotalSeconds:F1} s");

        SlurmSubmission second = SlurmSubmission.ReadAll(slurm)[^1];
        Assert.Equal([3], second.Arrays.SelectMany(a => a.Cells));
        Assert.Equal(finished, Snapshot(manifest.Cells.Take(3)));
        string secondLog = Path.Combine(slurm, "slurm", "logs", $"cell-{second.TaskOf(3)}.out");
        Assert.Contains("train --resume", File.ReadAllText(secondLog));
        Assert.Contains("4 cells: 4 done", resubmit.Error);
        Assert.Equal(File.ReadAllBytes(Path.Combine(local, "summary.json")), File.ReadAllBytes(Path.Combine(slurm, "summary.json")));
        string config = File.ReadAllText(Path.Combine(victim.Folder, "config.json"));
        Assert.Contains("\"name\": \"slurm\"", config);
        Assert.Contains($"\"slurm_job_id\": \"{first.Arrays[0].Job}\"", config);
        Assert.Contains("\"slurm_array_task_id\": \"3\"", config);
    }

    // Every file of the cells with its hash and last write time.
    private static Dictionary<string, (string, DateTime)> Snapshot(IEnumerable<StudyCell> cells) =>
        cells.SelectMany(c => Directory.EnumerateFiles(c.Folder, "*", SearchOption.AllDirectories))
            .Where(f => Path.GetFileName(f) != ".lock")
            .ToDictionary(f => f, f => (Convert.ToHexString(SHA256.HashData(File.ReadAllBytes(f))), File.GetLastWriteTimeUtc(f)));

    private static void Until(Func<bool> condition, TimeSpan timeout, string what)
    {
        var clock = Stopwatch.StartNew();
        while (!condition())
        {
            if (clock.Elapsed > timeout) Assert.Fail($"timed out after {timeout.TotalSeconds:F0} s waiting for {what}");
            Thread.Sleep(100);
        }
    }

    private static string Run(string command, params string[] arguments) => SlurmCommands.Run(command, arguments);
}
