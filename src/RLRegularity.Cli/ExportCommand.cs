using System.CommandLine;
using RLRegularity.Agents.Comparison;
using RLRegularity.Logging;
using RLRegularity.Records;

namespace RLRegularity.Cli;

/// <summary><c>rlreg export DIR --format csv|parquet --out FILE</c>: the results of a run or a study as one tidy table.</summary>
internal static class ExportCommand
{
    public static Command Build(CliContext context)
    {
        var folder = new Argument<string>("DIR") { Description = "A run folder, a study folder, or any folder holding runs." };
        var format = new Option<string>("--format")
        {
            Description = "csv or parquet (one row per run × episode), or runs (one row per run × metric with the command that reproduces the run: agent,env,norm,seed,metric,value,command).",
            Required = true,
        };
        CliParsing.OneOf(format, "csv", "parquet", "runs");
        var output = new Option<string>("--out") { Description = "The file to write.", Required = true, HelpName = "FILE" };
        var command = new Command("export", "Write every run under DIR as one tidy table (one row per run × episode; agent, env, preset, normalizer, seed and every config key that differs between the runs as columns) for pandas, seaborn and rliable.")
        {
            folder, format, output,
        };
        command.SetAction(async (parse, cancellation) =>
        {
            string root = parse.GetValue(folder)!;
            if (!Directory.Exists(root)) throw new CliUsageException($"'{root}' is not a folder");
            string file = parse.GetValue(output)!;
            OutputLocation.EnsureFileCanBeWritten(file, "--out");
            string chosen = parse.GetValue(format)!;
            Action<string> skipped = problem => context.Error.WriteLine($"warning: skipped {problem}");
            TidyTable table = chosen == "runs" ? ResultsTable.RunMetrics(root, skipped) : ResultsTable.Build(root, skipped);
            if (chosen == "parquet") await table.WriteParquetAsync(file);
            else table.WriteCsv(file);
            context.Error.WriteLine($"wrote {table.Rows} rows × {table.Columns.Count()} columns ({string.Join(", ", table.Columns)}) to {file}");
            return 0;
        });
        return command;
    }
}
