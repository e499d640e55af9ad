using RLRegularity.Agents.Common;
using RLRegularity.Agents.Comparison;

namespace RLRegularity.Agents.Tests;

/// <summary>Comparison studies: cell states and a report that survives broken cells.</summary>
public sealed class ComparisonTests : IDisposable
{
    private readonly string _root = Directory.CreateTempSubdirectory("rlreg-compare").FullName;

    public void Dispose() => Directory.Delete(_root, recursive: true);

    private static void Train(string folder, string norm, long seed)
    {
        var settings = new RunSettings("ppo", "CartPole-v1", seed, 1024, "classic", 1, 1024, 1);
        using var run = TrainingRun.Create(folder, settings, AgentFactory.Resolve("ppo", "classic", null, [$"normalizer=\"{norm}\"", "num_steps=32"]));
        run.Run(CancellationToken.None);
    }

    [Fact]
    public void BrokenCellsAreNamedAndTheRestIsStillReported()
    {
        var study = new ComparisonStudy("ppo", "CartPole-v1", ["none", "rn"], [1, 2], 1024, "classic", ["num_steps=32"]);
        study.WriteOrCheck(_root);
        foreach (string norm in study.Norms)
            foreach (long seed in study.Seeds) Train(ComparisonStudy.CellFolder(_root, norm, seed), norm, seed);
        Assert.Equal(CellState.Finished, ComparisonStudy.Inspect(ComparisonStudy.CellFolder(_root, "rn", 1)).State);

        string broken = ComparisonStudy.CellFolder(_root, "rn", 2);
        File.WriteAllText(Path.Combine(broken, "config.json"), "{ not json");
        string missing = ComparisonStudy.CellFolder(_root, "none", 2);
        Directory.Delete(missing, recursive: true);

        (CellState state, string? reason) = ComparisonStudy.Inspect(broken);
        Assert.Equal(CellState.Corrupt, state);
        Assert.Contains(broken, reason);
        Assert.Equal(CellState.NotStarted, ComparisonStudy.Inspect(missing).State);

        ComparisonReport report = ComparisonReport.Build(_root, study);
        // Cells are named relative to the study folder: the report does not depend on where the study lives.
        Assert.Contains(report.Problems, p => p.Contains(Path.Combine("rn", "s2")));
        Assert.Contains(report.Problems, p => p.Contains(Path.Combine("none", "s2")));
        Assert.DoesNotContain(report.Problems, p => p.Contains(_root));
        Assert.Equal(["none", "rn"], report.Normalizers.Select(n => n.Norm));
        Assert.All(report.Normalizers, n => Assert.Equal(1, n.Runs));
        Assert.Contains("Problems", report.ToMarkdown());
        Assert.NotNull(report.ToJson()["normalizers"]!["rn"]);
    }

    [Fact]
    public void AnEpisodeBudgetIsReportedOverEpisodesWithTheFinalFiftyEpisodeMovingAverage()
    {
        var study = new ComparisonStudy("dqn", "CartPole-v1", ["none", "rn"], [1, 2], 60 * 500, "paper", [], Episodes: 60);
        study.WriteOrCheck(_root);
        foreach (string norm in study.Norms)
        {
            foreach (long seed in study.Seeds)
            {
                var settings = new RunSettings("dqn", "CartPole-v1", seed, study.Steps, "paper", 1, study.Steps, 1, Episodes: 60);
                using var run = TrainingRun.Create(ComparisonStudy.CellFolder(_root, norm, seed), settings,
                    AgentFactory.Resolve("dqn", "paper", null, [$"normalizer=\"{norm}\""]));
                run.Run(CancellationToken.None);
            }
        }
        ComparisonReport report = ComparisonReport.Build(_root, study);
        Assert.Empty(report.Problems);
        foreach (NormalizerSummary summary in report.Normalizers)
        {
            double[] expected = [.. study.Seeds.Select(seed => RunData.Read(ComparisonStudy.CellFolder(_root, summary.Norm, seed)))
                .Select(r => { Assert.Equal(60, r.Returns.Length); return r.Returns[10..].Average(); })];
            Assert.Equal(expected.Length, summary.FinalScores.Length);
            for (int i = 0; i < expected.Length; i++) Assert.Equal(expected[i], summary.FinalScores[i], 1e-9);
        }
        Assert.Contains("50-episode moving average of the return at episode 60", report.ToMarkdown());
        Assert.Contains("median episodes to threshold", report.ToMarkdown());
        Assert.Equal(60, report.ToJson()["episodes"]!.GetValue<long>());
        Assert.Contains("| mean ± SEM |", report.ToMarkdown()); // the paper's statistic beside ours
    }

    [Fact]
    public void StandardErrorIsThePapersPopulationStdOverRootN()
    {
        // Values 1, 2, 3, 4: population variance 1.25, std √1.25, SEM √1.25 / 2.
        Assert.Equal(Math.Sqrt(1.25) / 2, ComparisonReport.StandardError([1, 2, 3, 4]), 12);
        Assert.Equal(0, ComparisonReport.StandardError([7]));
        Assert.True(double.IsNaN(ComparisonReport.StandardError([])));
    }

    [Fact]
    public void AStudyFolderRefusesADifferentStudy()
    {
        new ComparisonStudy("ppo", "CartPole-v1", ["none"], [1], 1024, "classic", []).WriteOrCheck(_root);
        new ComparisonStudy("ppo", "CartPole-v1", ["none"], [1], 1024, "classic", []).WriteOrCheck(_root); // same: fine
        var e = Assert.Throws<ArgumentException>(() => new ComparisonStudy("ppo", "CartPole-v1", ["none", "rn"], [1], 1024, "classic", []).WriteOrCheck(_root));
        Assert.Contains("different study", e.Message);
    }

    [Theory]
    [InlineData(386.84, "386.8")]
    [InlineData(-82.76, "-82.8")]
    [InlineData(0.9634, "0.963")]
    [InlineData(0.9126, "0.913")]
    [InlineData(double.NaN, "–")]
    public void ReportValuesKeepThreeDecimalsBelowTen(double value, string expected) =>
        Assert.Equal(expected, ComparisonReport.FormatValue(value));
}
