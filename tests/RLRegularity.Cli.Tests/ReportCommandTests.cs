using System.Text.Json.Nodes;
using RLRegularity.TestSupport;

namespace RLRegularity.Cli.Tests;

/// <summary><c>rlreg report</c>: a metric's table read back from published runs.csv files.</summary>
public sealed class ReportCommandTests : IDisposable
{
    private readonly string _root = Directory.CreateTempSubdirectory("rlreg-report").FullName;
    private static readonly string Published = Path.Combine(ReferenceData.RepositoryRoot, "docs", "results", "paper-table-fixed");

    public void Dispose() => Directory.Delete(_root, recursive: true);

    [Fact]
    public void ThePaperStatisticMatchesTheStudysOwnSummary()
    {
        var result = CliRunner.Run("report", Path.Combine(Published, "runs.csv"));
        Assert.True(result.ExitCode == 0, result.Error);
        // Every "mean ± SEM" the report prints is the one compare printed from the run folders.
        string summary = File.ReadAllText(Path.Combine(Published, "summary.md"));
        string[] rows = [.. result.Output.Split('\n').Where(l => l.StartsWith("| ", StringComparison.Ordinal) && !l.StartsWith("| normalizer", StringComparison.Ordinal) && !l.StartsWith("| ---", StringComparison.Ordinal))];
        Assert.Equal(5, rows.Length);
        foreach (string row in rows)
        {
            string[] cells = row.Split('|', StringSplitOptions.TrimEntries);
            Assert.Contains($"| {cells[1]} | {cells[2]} | {cells[3]} |", summary);
        }
    }

    [Fact]
    public void JsonGoesToTheFileWithEveryRunsValue()
    {
        string file = Path.Combine(_root, "table.json");
        var result = CliRunner.Run("report", Path.Combine(Published, "runs.csv"), "--metric", "auc", "--json", "--out", file);
        Assert.True(result.ExitCode == 0, result.Error);
        JsonNode table = JsonNode.Parse(File.ReadAllText(file))!;
        Assert.Equal("auc", table["metric"]!.GetValue<string>());
        JsonNode rn = table["groups"]![0]!["normalizers"]!["rn"]!;
        Assert.Equal(20, rn["values"]!.AsArray().Count);
        Assert.NotNull(rn["probability_of_improvement_over_baseline"]);
    }

    [Fact]
    public void AMissingFileOrMetricIsAUsageErrorNamingIt()
    {
        var missing = CliRunner.Run("report", Path.Combine(_root, "nope.csv"));
        Assert.Equal(CliApp.UsageError, missing.ExitCode);
        Assert.Contains("nope.csv", missing.Error);
        var metric = CliRunner.Run("report", Path.Combine(Published, "runs.csv"), "--metric", "final_retrun");
        Assert.Equal(CliApp.UsageError, metric.ExitCode);
        Assert.Contains("final_return_ma50", metric.Error);
    }
}
