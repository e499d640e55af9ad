using System.CommandLine;
using System.Text.Json.Nodes;
using RLRegularity.Agents.Common;
using RLRegularity.Agents.Comparison;
using RLRegularity.Logging;
using RLRegularity.Records;

namespace RLRegularity.Cli;

/// <summary>
/// <c>rlreg export DIR --format csv|parquet|runs --out FILE</c>: the results of a run or a study as one tidy table;
/// <c>rlreg export --run DIR --format pt --out FILE</c>: a run's policy as a PyTorch state_dict with its description.
/// </summary>
internal static class ExportCommand
{
    public static Command Build(CliContext context)
    {
        var folder = new Argument<string>("DIR") { Description = "A run folder, a study folder, or any folder holding runs.", Arity = ArgumentArity.ZeroOrOne };
        var run = new Option<string>("--run") { Description = "The run folder (the same as DIR; the usual spelling with --format pt).", HelpName = "DIR" };
        var checkpoint = new Option<string>("--checkpoint") { Description = "With --format pt: the checkpoint under checkpoints/ (default: the latest, i.e. final when finished)." };
        var format = new Option<string>("--format")
        {
            Description = "csv or parquet (one row per run × episode), runs (one row per run × metric with the command that reproduces the run: agent,env,norm,seed,metric,value,command), " +
                          "or pt (a run's policy networks as a PyTorch state_dict for torch.load, with FILE.json describing each network layer by layer; tools/python/rlreg_policy.py rebuilds them).",
            Required = true,
        };
        CliParsing.OneOf(format, "csv", "parquet", "runs", "pt");
        var output = new Option<string>("--out") { Description = "The file to write.", Required = true, HelpName = "FILE" };
        var command = new Command("export", "Write every run under DIR as one tidy table (one row per run × episode; agent, env, preset, normalizer, seed and every config key that differs between the runs as columns) for pandas, seaborn and rliable.")
        {
            folder, run, checkpoint, format, output,
        };
        command.SetAction(async (parse, cancellation) =>
        {
            string root = (parse.GetValue(folder), parse.GetValue(run)) switch
            {
                ({ } dir, null) => dir,
                (null, { } dir) => dir,
                (not null, not null) => throw new CliUsageException("give the folder once: DIR or --run DIR"),
                _ => throw new CliUsageException("export needs a folder: DIR (or --run DIR)"),
            };
            if (!Directory.Exists(root)) throw new CliUsageException($"'{root}' is not a folder");
            string file = parse.GetValue(output)!;
            OutputLocation.EnsureFileCanBeWritten(file, "--out");
            string chosen = parse.GetValue(format)!;
            if (chosen != "pt" && parse.GetResult(checkpoint) is not null) throw new CliUsageException("--checkpoint is for --format pt");
            if (chosen == "pt") return ExportPolicy(root, parse.GetValue(checkpoint), file, context);
            Action<string> skipped = problem => context.Error.WriteLine($"warning: skipped {problem}");
            TidyTable table = chosen == "runs" ? ResultsTable.RunMetrics(root, skipped) : ResultsTable.Build(root, skipped);
            if (chosen == "parquet") await table.WriteParquetAsync(file);
            else table.WriteCsv(file);
            context.Error.WriteLine($"wrote {table.Rows} rows × {table.Columns.Count()} columns ({string.Join(", ", table.Columns)}) to {file}");
            return 0;
        });
        return command;
    }

    private static int ExportPolicy(string folder, string? checkpointName, string file, CliContext context)
    {
        if (!File.Exists(Path.Combine(folder, RunFolder.ConfigFile)))
            throw new CliUsageException($"--format pt exports one run: '{folder}' is not a run folder (it has no {RunFolder.ConfigFile})");
        string description = PolicyExport.DescriptionPath(file);
        OutputLocation.EnsureFileCanBeWritten(description, "--out");
        (RunSettings settings, JsonObject agentConfig) = TrainingRun.ReadConfig(folder);
        string? path = checkpointName is { } name ? Path.Combine(folder, "checkpoints", name) : TrainingRun.LatestCheckpoint(folder);
        if (path is null || !Directory.Exists(path)) throw new CliUsageException($"{folder} has no checkpoint{(path is null ? "" : $" named '{Path.GetFileName(path)}'")}");
        TorchRuntime.Initialize(1);
        using ILearner learner = AgentFactory.Create(settings.Agent, settings.Env, agentConfig, settings.Seed, settings.Steps);
        learner.LoadCheckpoint(path);
        JsonObject written = PolicyExport.Write(learner, settings, AgentFactory.NormalizerOf(agentConfig), file);
        JsonObject networks = written["networks"]!.AsObject();
        context.Output.WriteLine($"wrote {file} (state_dict of {string.Join(", ", networks.Select(n => n.Key))} at step {learner.GlobalStep:N0}, checkpoint {Path.GetFileName(path)}) and {description}");
        foreach ((string network, JsonNode? entry) in networks)
        {
            if (entry!["why_not"] is JsonNode why) context.Error.WriteLine($"note: {network} cannot be rebuilt from plain PyTorch layers: {why.GetValue<string>()}");
        }
        return 0;
    }
}
