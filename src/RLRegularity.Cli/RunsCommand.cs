using System.CommandLine;
using System.Globalization;
using RLRegularity.Agents.Common;

namespace RLRegularity.Cli;

/// <summary><c>rlreg runs [DIR]</c>: the run folders under a folder, with where each stands, as a table or JSON lines.</summary>
internal static class RunsCommand
{
    public static Command Build(CliContext context)
    {
        var folder = new Argument<string>("DIR") { Description = "The folder to search (recursively).", DefaultValueFactory = _ => "runs" };
        var json = new Option<bool>("--json") { Description = "One JSON object per run instead of a table." };
        var command = new Command("runs", "List the runs under a folder: env, agent, normalizer, seed, steps done of planned, status (finished, running, interrupted, not started) and the mean return of the last 20 episodes.")
        {
            folder, json,
        };
        command.SetAction(parse =>
        {
            string root = parse.GetValue(folder)!;
            if (!Directory.Exists(root)) throw new CliUsageException($"'{root}' is not a folder");
            List<RunInfo> runs = RunInfo.FindAll(root, problem => context.Error.WriteLine($"warning: skipped {problem}"));
            if (parse.GetValue(json))
            {
                foreach (RunInfo run in runs)
                {
                    JsonOutput.WriteLine(context.Output, w =>
                    {
                        w.WriteString("folder", run.Folder);
                        w.WriteString("env", run.Env);
                        w.WriteString("agent", run.Agent);
                        w.WriteString("norm", run.Normalizer);
                        w.WriteNumber("seed", run.Seed);
                        w.WriteNumber("steps_done", run.StepsDone);
                        w.WriteNumber("steps_planned", run.StepsPlanned);
                        w.WriteString("status", StatusName(run.Status));
                        if (double.IsFinite(run.FinalReturn)) w.WriteNumber("final_return", run.FinalReturn);
                        else w.WriteNull("final_return");
                    });
                }
                return 0;
            }
            if (runs.Count == 0)
            {
                context.Output.WriteLine($"no runs under '{root}'");
                return 0;
            }
            string[] header = ["run", "env", "agent", "norm", "seed", "steps", "status", "return (last 20)"];
            List<string[]> rows = [.. runs.Select(r => new[]
            {
                Path.GetRelativePath(root, r.Folder), r.Env, r.Agent, r.Normalizer, r.Seed.ToString(CultureInfo.InvariantCulture),
                $"{r.StepsDone.ToString("N0", CultureInfo.InvariantCulture)} / {r.StepsPlanned.ToString("N0", CultureInfo.InvariantCulture)}",
                StatusName(r.Status), double.IsFinite(r.FinalReturn) ? r.FinalReturn.ToString("F2", CultureInfo.InvariantCulture) : "–",
            })];
            int[] widths = [.. header.Select((h, i) => Math.Max(h.Length, rows.Max(r => r[i].Length)))];
            context.Output.WriteLine(string.Join("  ", header.Select((h, i) => h.PadRight(widths[i]))).TrimEnd());
            foreach (string[] row in rows) context.Output.WriteLine(string.Join("  ", row.Select((c, i) => c.PadRight(widths[i]))).TrimEnd());
            return 0;
        });
        return command;
    }

    private static string StatusName(RunStatus status) => status switch
    {
        RunStatus.Finished => "finished",
        RunStatus.Running => "running",
        RunStatus.Interrupted => "interrupted",
        _ => "not started",
    };
}
