using System.Text.Json.Nodes;

namespace RLRegularity.Cli.Tests;

/// <summary><c>rlreg compare --study</c>, <c>--status</c> and the hidden per-cell verbs, run locally, and their usage errors.</summary>
public sealed class StudyCommandTests : IDisposable
{
    private readonly string _root = Directory.CreateTempSubdirectory("rlreg-studycmd-").FullName;

    public void Dispose() => Directory.Delete(_root, recursive: true);

    [Fact]
    public void AStudyFileRunsOneReportPerGroupAndPlotsGroupByGroup()
    {
        string file = Path.Combine(_root, "lr.json");
        File.WriteAllText(file, """
            { "agents": ["ppo"], "envs": ["CartPole-v1"], "normalizers": ["none"], "seeds": [1], "steps": 256,
              "set": ["num_steps=64"], "learning_rate": [0.001, 0.0003] }
            """);
        string study = Path.Combine(_root, "study");
        var run = CliRunner.Run("compare", "--study", file, "--out", study, "--quiet", "--jobs", "2");
        Assert.True(run.ExitCode == 0, run.Error);
        Assert.Equal(2, File.ReadAllLines(Path.Combine(study, "cells.jsonl")).Length);

        JsonArray groups = JsonNode.Parse(File.ReadAllText(Path.Combine(study, "summary.json")))!["groups"]!.AsArray();
        Assert.Equal([0.001, 0.0003], groups.Select(g => g!["axes"]!["learning_rate"]!.GetValue<double>()));
        Assert.All(groups, g => Assert.Equal(1, g!["normalizers"]!["none"]!["runs"]!.GetValue<int>()));
        string md = File.ReadAllText(Path.Combine(study, "summary.md"));
        Assert.Contains("## learning_rate=0.001", md);
        Assert.Contains("## learning_rate=0.0003", md);

        var status = CliRunner.Run("compare", "--status", study);
        Assert.Equal(0, status.ExitCode);
        Assert.Contains("2 cells: 2 done, 0 running, 0 pending, 0 failed", status.Output);

        var again = CliRunner.Run("compare", "--run-cell", study, "--index", "1");
        Assert.Equal(0, again.ExitCode);
        Assert.Contains("already finished", again.Error);

        var plotAll = CliRunner.Run("plot", study);
        Assert.Equal(2, plotAll.ExitCode);
        Assert.Contains("study of 2 groups", plotAll.Error);
        var plotOne = CliRunner.Run("plot", Path.Combine(study, "learning_rate=0.001"), "--out", Path.Combine(_root, "lr.svg"));
        Assert.True(plotOne.ExitCode == 0, plotOne.Error);
    }

    public static TheoryData<string[], string> Mistakes => new()
    {
        { ["compare", "--study", "x.json", "--agent", "ppo"], "--agent cannot be combined" },
        { ["compare", "--study", "missing.json"], "does not exist" },
        { ["compare", "--agent", "ppo", "--steps", "64"], "--env is required" },
        { ["compare", "--env", "CartPole-v1", "--steps", "64"], "--agent is required" },
        { ["compare", "--agent", "ppo", "--env", "CartPole-v1", "--steps", "64", "--wait"], "--wait is for --executor slurm" },
        { ["compare", "--agent", "ppo", "--env", "CartPole-v1", "--steps", "64", "--partition", "gpu"], "--partition is for --executor slurm" },
        { ["compare", "--agent", "ppo", "--env", "CartPole-v1", "--steps", "64", "--executor", "condor"], "'condor' is not one of local, slurm" },
        { ["compare", "--status", "no-such-folder"], "does not exist" },
        { ["compare", "--status", ".", "--agent", "ppo"], "--agent cannot be combined" },
        { ["compare", "--index", "3"], "--index names the cell for --run-cell" },
        { ["compare", "--run-cell", "."], "--run-cell needs --index" },
    };

    [Theory]
    [MemberData(nameof(Mistakes))]
    public void MistakesAreOneLineUsageErrors(string[] args, string expected)
    {
        var result = CliRunner.Run(args);
        Assert.Equal(2, result.ExitCode);
        Assert.Contains(expected, result.Error);
    }

    [Fact]
    public void AnIndexOutsideTheManifestNamesTheRange()
    {
        string study = Path.Combine(_root, "s");
        Assert.Equal(0, CliRunner.Run("compare", "--agent", "ppo", "--env", "CartPole-v1", "--norms", "none", "--seeds", "1", "--steps", "64", "--quiet", "--out", study).ExitCode);
        var result = CliRunner.Run("compare", "--run-cell", study, "--index", "5");
        Assert.Equal(2, result.ExitCode);
        Assert.Contains("it has cells 0..0", result.Error);
    }
}
