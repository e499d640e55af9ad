using System.Text.Json.Nodes;
using RLRegularity.Statistics;
using RLRegularity.TestSupport;

namespace RLRegularity.Analysis.Tests.Statistics;

/// <summary>runs.csv read back into a metric's table: hand-computed statistics, joins across files, and the errors that keep settings apart.</summary>
public sealed class RunsReportTests : IDisposable
{
    private const string Header = "agent,env,norm,seed,metric,value,command";
    private readonly string _folder = Directory.CreateTempSubdirectory("rlreg-runs-report-").FullName;

    public void Dispose() => Directory.Delete(_folder, recursive: true);

    private string Write(string name, params string[] rows)
    {
        string path = Path.Combine(_folder, name);
        File.WriteAllLines(path, [Header, .. rows]);
        return path;
    }

    private static string Row(string norm, long seed, double value, string metric = "final_return_ma50", string extra = "") =>
        FormattableString.Invariant($"dqn,CartPole-v1,{norm},{seed},{metric},{value},rlreg train --agent dqn --env CartPole-v1 --norm {norm} --seed {seed}{extra}");

    [Fact]
    public void MeanSemAndProbabilityOfImprovementAreTheHandComputedValues()
    {
        string file = Write("runs.csv",
            Row("rn", 0, 2), Row("rn", 1, 3), Row("rn", 2, 4), Row("rn", 3, 5),
            Row("none", 0, 1), Row("none", 1, 2), Row("none", 2, 3), Row("none", 3, 4),
            Row("none", 0, 99, metric: "auc"));
        RunsReportGroup group = Assert.Single(RunsReport.Build([file], "final_return_ma50", "none", []));
        Assert.Equal(["none", "rn"], group.Rows.Select(r => r.Norm)); // the baseline first
        RunsReportRow none = group.Rows[0], rn = group.Rows[1];
        // none = 1..4: mean 2.5, population variance 1.25, SEM √1.25 / √4 = 0.5590...
        Assert.Equal(2.5, none.Mean.Estimate, 12);
        Assert.Equal(Math.Sqrt(1.25) / 2, none.StandardError, 12);
        Assert.Equal(3.5, rn.Mean.Estimate, 12);
        // rn 2,3,4,5 against none 1,2,3,4: wins 1.5 + 2.5 + 3.5 + 4 = 11.5 of 16 pairs (ties count one half).
        Assert.Equal(11.5 / 16, rn.ImprovementOverBaseline!.Value.Estimate, 12);
        Assert.Null(none.ImprovementOverBaseline);
        // IQM of four values: the middle two.
        Assert.Equal(3.5, rn.Iqm.Estimate, 12);
    }

    [Fact]
    public void ARunListedInTwoFilesCountsOnceAndMustAgree()
    {
        string first = Write("a.csv", Row("none", 0, 10), Row("none", 1, 20), Row("rln", 0, 30));
        string second = Write("b.csv", Row("rln", 0, 30), Row("rln", 1, 50));
        RunsReportGroup group = Assert.Single(RunsReport.Build([first, second], "final_return_ma50", "none", []));
        Assert.Equal([30, 50], group.Rows.Single(r => r.Norm == "rln").Values);

        string disagreeing = Write("c.csv", Row("rln", 0, 31));
        var error = Assert.Throws<InvalidDataException>(() => RunsReport.Build([first, disagreeing], "final_return_ma50", "none", []));
        Assert.Contains("a.csv", error.Message);
        Assert.Contains("c.csv", error.Message);
    }

    [Fact]
    public void RunsOfDifferentSettingsAreNotPooledUnlessSplit()
    {
        string file = Write("runs.csv",
            Row("none", 0, 1, extra: " --intervention none"), Row("none", 0, 5, extra: " --intervention snp"),
            Row("none", 1, 2, extra: " --intervention none"), Row("none", 1, 6, extra: " --intervention snp"));
        var error = Assert.Throws<InvalidDataException>(() => RunsReport.Build([file], "final_return_ma50", "none", []));
        Assert.Contains("--split", error.Message);

        var groups = RunsReport.Build([file], "final_return_ma50", "none", ["intervention"]);
        Assert.Equal(["none", "snp"], groups.Select(g => g.Split.Single().Value));
        Assert.Equal([5, 6], groups[1].Rows.Single().Values);
    }

    [Fact]
    public void OptionValuesAreReadFromEveryOptionSpelling()
    {
        const string command = "rlreg train --agent dqn --intervention snp --steps=200 --set epsilon_start=0.01 --set 'normalizer_options.beta=0.5'";
        Assert.Equal("snp", RunsReport.OptionValue(command, "intervention"));
        Assert.Equal("snp", RunsReport.OptionValue(command, "--intervention"));
        Assert.Equal("200", RunsReport.OptionValue(command, "steps"));
        Assert.Equal("0.01", RunsReport.OptionValue(command, "epsilon_start"));
        Assert.Equal("0.5", RunsReport.OptionValue(command, "normalizer_options.beta"));
        Assert.Null(RunsReport.OptionValue(command, "preset"));
        // Study axes write config values as JSON: --set 'intervention="snp"' is snp.
        Assert.Equal("snp", RunsReport.OptionValue("rlreg train --set 'intervention=\"snp\"' --threads 1", "intervention"));
    }

    [Fact]
    public void AnUnknownMetricNamesTheMetricsTheFilesHave()
    {
        string file = Write("runs.csv", Row("none", 0, 1), Row("none", 0, 2, metric: "auc"));
        var error = Assert.Throws<InvalidDataException>(() => RunsReport.Build([file], "final_retrun", "none", []));
        Assert.Contains("auc, final_return_ma50", error.Message);
    }

    [Fact]
    public void ThePublishedPaperTableIsWhatItsStudyReported()
    {
        // docs/results/paper-table-fixed: summary.json was computed by compare from the run folders, runs.csv exported
        // from the same folders; reading runs.csv back must give the same estimates and intervals.
        string results = Path.Combine(ReferenceData.RepositoryRoot, "docs", "results", "paper-table-fixed");
        RunsReportGroup group = Assert.Single(RunsReport.Build([Path.Combine(results, "runs.csv")], "final_return_ma50", "none", []));
        JsonNode summary = JsonNode.Parse(File.ReadAllText(Path.Combine(results, "summary.json")))!["normalizers"]!;
        foreach (RunsReportRow row in group.Rows)
        {
            JsonNode expected = summary[row.Norm]!;
            Assert.Equal(expected["runs"]!.GetValue<int>(), row.Values.Length);
            Assert.Equal(expected["final_iqm"]!["lower"]!.GetValue<double>(), Math.Round(row.Iqm.Lower, 6), 9);
            Assert.Equal(expected["final_iqm"]!["upper"]!.GetValue<double>(), Math.Round(row.Iqm.Upper, 6), 9);
            Assert.Equal(expected["final_mean"]!["estimate"]!.GetValue<double>(), Math.Round(row.Mean.Estimate, 6), 9);
            if (row.ImprovementOverBaseline is { } poi)
                Assert.Equal(expected["probability_of_improvement_over_baseline"]!["lower"]!.GetValue<double>(), Math.Round(poi.Lower, 6), 9);
        }
    }
}
