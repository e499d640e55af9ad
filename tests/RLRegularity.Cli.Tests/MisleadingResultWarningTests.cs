using System.Text.RegularExpressions;
using RLRegularity.Agents.Common;
using RLRegularity.Agents.Comparison;

namespace RLRegularity.Cli.Tests;

/// <summary>Warnings where a result would mislead: too few seeds for intervals, a non-stationary run that ends before its change, a preset tuned for another kind of environment.</summary>
public sealed class MisleadingResultWarningTests : IDisposable
{
    private readonly string _root = Directory.CreateTempSubdirectory("rlreg-warnings").FullName;

    public void Dispose() => Directory.Delete(_root, recursive: true);

    private static string[] Warnings(CliRunner.Result r) => [.. r.Error.Split('\n').Where(l => l.StartsWith("warning: ", StringComparison.Ordinal))];

    [Theory]
    [InlineData("CartPole-PoleLengthSwitch-v0", "classic", 100_000, true)]
    [InlineData("CartPole-PoleLengthSwitch-v0", "classic", 100_001, false)]
    [InlineData("CartPole-ActionFlip-v0", "classic", 50_000, true)]
    [InlineData("CartPole-GravityDrift-v0", "classic", 75_000, true)]
    [InlineData("CartPole-GravityDrift-v0", "classic", 200_000, false)]
    [InlineData("MiniGrid-DistShift-Switch-v0", "minigrid", 250_000, true)]
    [InlineData("MiniGrid-DistShift-Switch-v0", "minigrid", 500_000, false)]
    [InlineData("CartPole-v1", "classic", 1_000, false)]
    public void ANonStationaryRunThatEndsBeforeItsChangeIsWarned(string env, string preset, long steps, bool warned)
    {
        string[] warnings = [.. RunWarnings.ForRun("ppo", env, preset, steps)];
        Assert.Equal(warned, warnings.Any(w => w.Contains("non-stationary")));
        if (warned) Assert.Contains("ends before the change", Assert.Single(warnings));
    }

    [Theory]
    [InlineData("ppo", "classic", true)]
    [InlineData("dqn", "tuned", true)]
    [InlineData("dqn", "paper", true)]
    [InlineData("ppo", "minigrid", false)]
    public void AMiniGridEnvWithAPresetTunedForClassicControlIsWarned(string agent, string preset, bool warned)
    {
        string[] warnings = [.. RunWarnings.ForRun(agent, "MiniGrid-DoorKey-5x5-v0", preset, 1_000_000)];
        Assert.Equal(warned, warnings.Any(w => w.Contains("--agent ppo --preset minigrid")));
        Assert.Empty(RunWarnings.ForRun(agent, "CartPole-v1", agent == "dqn" ? preset : "classic", 1_000_000));
    }

    [Fact]
    public void TrainPrintsItsWarningsOnStderrAndStillSucceeds()
    {
        string run = Path.Combine(_root, "short-switch");
        var r = CliRunner.Run("train", "--agent", "ppo", "--env", "CartPole-PoleLengthSwitch-v0", "--steps", "1024", "--set", "num_steps=64", "--quiet", "--out", run);
        Assert.True(r.ExitCode == 0, r.Error);
        string warning = Assert.Single(Warnings(r));
        Assert.Contains("at step 100,000", warning);
        Assert.Contains("1,024 steps", warning);
    }

    // A finished study of `seeds` tiny runs, so that compare only reports and plot only draws.
    private string TwoSeedStudy(int seeds, string env = "CartPole-v1")
    {
        string folder = Path.Combine(_root, $"study{seeds}-{env}");
        var study = new ComparisonStudy("ppo", env, ["none"], [.. Enumerable.Range(1, seeds).Select(i => (long)i)], 1024, "classic", ["num_steps=32"]);
        study.WriteOrCheck(folder);
        foreach (long seed in study.Seeds)
        {
            var settings = new RunSettings("ppo", env, seed, 1024, "classic", 1, 1024, 1);
            using var run = TrainingRun.Create(ComparisonStudy.CellFolder(folder, "none", seed), settings, AgentFactory.Resolve("ppo", "classic", null, ["num_steps=32"]));
            run.Run(CancellationToken.None);
        }
        return folder;
    }

    [Fact]
    public void FewerThanFiveSeedsAreFlaggedByCompareAndPlot()
    {
        string folder = TwoSeedStudy(2);
        var compare = CliRunner.Run("compare", "--agent", "ppo", "--env", "CartPole-v1", "--norms", "none", "--seeds", "2", "--steps", "1024",
            "--set", "num_steps=32", "--out", folder, "--quiet");
        Assert.True(compare.ExitCode == 0, compare.Error);
        Assert.Contains(Warnings(compare), w => w.Contains("Only 2 seeds") && w.Contains("not confidence intervals"));
        string summary = File.ReadAllText(Path.Combine(folder, "summary.md"));
        Assert.Contains("> **Warning:** Only 2 seeds per normalizer", summary);
        Assert.Contains("**Warning:** Only 2 seeds", compare.Output); // the table, as Markdown when not on a terminal

        var plot = CliRunner.Run("plot", folder);
        Assert.True(plot.ExitCode == 0, plot.Error);
        Assert.Contains(Warnings(plot), w => w.Contains("Only 2 seeds"));
        foreach (string name in new[] { "return", "final-iqm" })
            Assert.All(new[] { ".png", ".pdf" }, ext => Assert.True(File.Exists(Path.Combine(folder, "plots", name + ext)), name + ext));
        foreach (string metric in new[] { "return", "final" })
        {
            string file = Path.Combine(_root, metric + ".svg");
            var text = CliRunner.Run("plot", folder, "--metric", metric, "--out", file);
            Assert.True(text.ExitCode == 0, text.Error);
            string svg = File.ReadAllText(file);
            Assert.Contains("2 seeds", svg);
            Assert.Contains("warning: with 2 seeds the intervals lie within the runs", svg);
            Assert.DoesNotMatch(@"\([^)<]*\(", svg); // no nested parentheses in any text
        }
    }

    [Fact]
    public void CompareWarnsOfAChangeItsBudgetNeverReaches()
    {
        string folder = TwoSeedStudy(5, "CartPole-ActionFlip-v0");
        var compare = CliRunner.Run("compare", "--agent", "ppo", "--env", "cartpole-actionflip-v0", "--norms", "none", "--steps", "1024",
            "--set", "num_steps=32", "--out", folder, "--quiet");
        Assert.True(compare.ExitCode == 0, compare.Error);
        string warning = Assert.Single(Warnings(compare));
        Assert.Contains("CartPole-ActionFlip-v0 is non-stationary (actions swapped at step 100,000)", warning);
    }

    [Fact]
    public void PlotTitlesSayOneSeed()
    {
        string folder = TwoSeedStudy(1);
        var plot = CliRunner.Run("plot", folder, "--metric", "final", "--out", Path.Combine(_root, "final.svg"));
        Assert.True(plot.ExitCode == 0, plot.Error);
        string svg = File.ReadAllText(Path.Combine(_root, "final.svg"));
        Assert.Contains("1 seed", svg);
        Assert.DoesNotMatch(new Regex(@"\b1 seeds\b"), svg);
    }

    [Fact]
    public void EnoughSeedsGiveNoWarning()
    {
        Assert.Null(RunWarnings.ForSeeds(5));
        Assert.Null(ComparisonReport.FewSeedsNote(10));
        Assert.NotNull(RunWarnings.ForSeeds(4));
    }
}
