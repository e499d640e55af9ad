using System.CommandLine;
using System.Text.Json;
using RLRegularity.Logging;
using RLRegularity.Statistics;

namespace RLRegularity.Cli;

/// <summary>
/// <c>rlreg report RUNS.csv... --metric NAME</c>: a metric's table read back from studies' runs.csv files (what
/// <c>export --format runs</c> writes), joined across files, without their run folders.
/// </summary>
internal static class ReportCommand
{
    public static Command Build(CliContext context)
    {
        var files = new Argument<string[]>("RUNS.csv") { Description = "runs.csv files (rlreg export --format runs); a run listed in several must agree.", Arity = ArgumentArity.OneOrMore };
        var metric = new Option<string>("--metric") { Description = "The metric column's value to report (final_return_ma50, final_return, auc, ...).", DefaultValueFactory = _ => "final_return_ma50" };
        var baseline = new Option<string>("--baseline") { Description = "The normalizer that P(improvement) compares against.", DefaultValueFactory = _ => "none" };
        var split = new Option<string[]>("--split")
        {
            Description = "A train option (or --set key) whose value in each run's command splits the runs into separate tables, e.g. --split intervention.",
            AllowMultipleArgumentsPerToken = true,
        };
        var json = new Option<bool>("--json") { Description = "Write JSON (every run's value and seed) instead of Markdown." };
        var output = new Option<string>("--out") { Description = "Write to FILE instead of the terminal.", HelpName = "FILE" };
        var command = new Command("report", "Tabulate one metric from studies' runs.csv files: per agent × env × normalizer, mean ± SEM, IQM and mean with 95% bootstrap CIs, " +
                                            "and P(better than the baseline), computed as compare computes them.")
        {
            files, metric, baseline, split, json, output,
        };
        command.SetAction(parse =>
        {
            string[] paths = parse.GetValue(files)!;
            foreach (string path in paths)
            {
                if (!File.Exists(path)) throw new CliUsageException($"'{path}' is not a file");
            }
            string name = parse.GetValue(metric)!;
            string reference = parse.GetValue(baseline)!;
            string[] splits = parse.GetValue(split) ?? [];
            List<RunsReportGroup> groups = RunsReport.Build(paths, name, reference, splits);
            if (groups.All(g => g.Rows.All(r => r.Norm != reference)))
                context.Error.WriteLine($"warning: no run has the baseline normalizer '{reference}'; P(improvement) is left out");
            string text = parse.GetValue(json)
                ? RunsReport.ToJson(groups, name, reference).ToJsonString(new JsonSerializerOptions { WriteIndented = true }) + Environment.NewLine
                : RunsReport.ToMarkdown(groups, name, reference, paths);
            if (parse.GetValue(output) is { } file)
            {
                OutputLocation.EnsureFileCanBeWritten(file, "--out");
                File.WriteAllText(file, text);
                context.Output.WriteLine($"wrote {file}");
            }
            else
            {
                context.Output.Write(text);
            }
            return 0;
        });
        return command;
    }
}
