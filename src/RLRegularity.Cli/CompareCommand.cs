using System.CommandLine;
using System.Diagnostics;
using System.Runtime.InteropServices;
using System.Text.Json;
using RLRegularity.Agents.Common;
using RLRegularity.Agents.Comparison;
using RLRegularity.Envs.Core;
using Spectre.Console;

namespace RLRegularity.Cli;

/// <summary>
/// <c>rlreg compare</c>: trains every (normalizer, seed) cell as its own <c>rlreg train</c> process (one TorchSharp thread
/// each, <c>--jobs</c> at a time), skips finished cells, resumes interrupted ones, re-runs corrupt ones, and aggregates
/// the runs into summary.json, summary.md and a console table.
/// </summary>
internal static partial class CompareCommand
{
    // Five seeds: the fewest for which rliable's interval estimates are worth reporting.
    private static readonly long[] DefaultSeeds = [1, 2, 3, 4, 5];

    public static Command Build(CliContext context)
    {
        var agent = new Option<string>("--agent") { Description = "dqn or ppo.", Required = true };
        CliParsing.OneOf(agent, [.. AgentFactory.Agents]);
        var env = EnvCommand.EnvOption();
        var norms = new Option<string>("--norms") { Description = "Comma-separated normalizers, e.g. none,ln,rn,rnr.", DefaultValueFactory = _ => "none,ln,rn,rnr" };
        var seeds = new Option<long[]>("--seeds")
        {
            Description = "Seeds per normalizer: a count n (seeds 1..n, e.g. 5) or a comma-separated list (e.g. 0,7,42; 42, is seed 42 alone). Fewer than 5 seeds give intervals too wide to trust. (default: 5, i.e. seeds 1..5)",
            CustomParser = CliParsing.Seeds,
            HelpName = "n|s1,s2,...",
            Arity = ArgumentArity.ExactlyOne,
        };
        var steps = new Option<long>("--steps") { Description = "Environment steps per run, e.g. 200000, 2e5 or 200k.", Required = true, CustomParser = CliParsing.Long(1) };
        var preset = new Option<string>("--preset") { Description = "Agent preset: dqn: tuned (default), paper; ppo: classic (default), minigrid." };
        var set = new Option<string[]>("--set") { Description = "key=value overrides applied to every run." };
        var jobs = new Option<int>("--jobs") { Description = "Runs in parallel; by default one per core of this machine.", DefaultValueFactory = _ => Environment.ProcessorCount, CustomParser = CliParsing.Int(1) };
        var output = new Option<string>("--out") { Description = "Study folder (default runs/<env>/compare-<agent>-<preset>-<norms>-<n>seeds-<steps>steps)." };
        var quiet = new Option<bool>("--quiet") { Description = "No live display." };
        var command = new Command("compare", "Compare normalizers over seeds: runs every (normalizer, seed) cell, resumable, and reports IQM/mean with bootstrap CIs, AUC, thresholds, change response and probability of improvement.")
        {
            agent, env, norms, seeds, steps, preset, set, jobs, output, quiet,
        };
        command.SetAction(parse =>
        {
            string agentName = parse.GetValue(agent)!;
            string[] normList = CliParsing.NormalizerNames("--norms", parse.GetValue(norms)!);
            string presetName = parse.GetValue(preset) ?? AgentFactory.Presets(agentName)[0];
            string[] overrides = parse.GetValue(set) ?? [];
            AgentFactory.Resolve(agentName, presetName, null, overrides); // validate once, before any process starts
            var study = new ComparisonStudy(agentName, parse.GetValue(env)!, normList, CliParsing.SeedsOrDefault(parse, seeds, DefaultSeeds),
                parse.GetValue(steps), presetName, overrides);
            string folder = parse.GetValue(output) ?? study.DefaultFolder("runs");
            foreach (string warning in RunWarnings.ForRun(study.Agent, study.Env, study.Preset, study.Steps)) context.Error.WriteLine($"warning: {warning}");
            if (RunWarnings.ForSeeds(study.Seeds.Length) is { } fewSeeds) context.Error.WriteLine($"warning: {fewSeeds}");
            study.WriteOrCheck(folder);
            bool completed = RunCells(study, folder, parse.GetValue(jobs), context, parse.GetValue(quiet));
            ComparisonReport report = ComparisonReport.Build(folder, study);
            Logging.AtomicFile.WriteAllText(Path.Combine(folder, "summary.json"), report.ToJson().ToJsonString(ConfigBinding.JsonOptions));
            Logging.AtomicFile.WriteAllText(Path.Combine(folder, "summary.md"), report.ToMarkdown());
            WriteTable(report, context);
            foreach (string problem in report.Problems) context.Error.WriteLine($"warning: {problem}");
            context.Output.WriteLine($"summary: {Path.Combine(folder, "summary.md")}");
            return completed ? 0 : TrainCommand.Interrupted;
        });
        return command;
    }

    private sealed class Cell(string norm, long seed, string folder)
    {
        public string Norm { get; } = norm;
        public long Seed { get; } = seed;
        public string Folder { get; } = folder;
        public long Step { get; set; }
        public string Status { get; set; } = "waiting";
        public Process? Process { get; set; }
        public string LastError { get; set; } = "";
    }

    // Runs the cells that are not finished, at most `jobs` at a time; false if interrupted by a signal.
    private static bool RunCells(ComparisonStudy study, string folder, int jobs, CliContext context, bool quiet)
    {
        var cells = new List<Cell>();
        foreach (string norm in study.Norms)
        {
            foreach (long seed in study.Seeds)
            {
                var cell = new Cell(norm, seed, ComparisonStudy.CellFolder(folder, norm, seed));
                while (TrainingRun.IsInUse(cell.Folder))
                {
                    // A worker of an earlier, killed compare may still be finishing this cell.
                    context.Error.WriteLine($"waiting for {cell.Folder}, which another process is still writing");
                    Thread.Sleep(2000);
                }
                (CellState state, string? reason) = ComparisonStudy.Inspect(cell.Folder);
                switch (state)
                {
                    case CellState.Finished:
                        cell.Status = "done (earlier)";
                        cell.Step = study.Steps;
                        break;
                    case CellState.Corrupt:
                        context.Error.WriteLine($"re-running {cell.Folder} from the start: {reason}");
                        Directory.Delete(cell.Folder, recursive: true);
                        cells.Add(cell);
                        break;
                    default:
                        if (state == CellState.Interrupted) cell.Status = "resuming";
                        cells.Add(cell);
                        break;
                }
            }
        }
        int finishedEarlier = study.Norms.Length * study.Seeds.Length - cells.Count;
        if (finishedEarlier > 0) context.Error.WriteLine($"{finishedEarlier} cell(s) already finished; {cells.Count} to run");
        if (cells.Count == 0) return true;

        using var cancellation = new CancellationTokenSource();
        ConsoleCancelEventHandler onCancel = (_, e) =>
        {
            e.Cancel = true;
            cancellation.Cancel();
        };
        Console.CancelKeyPress += onCancel;
        using var sigterm = PosixSignalRegistration.Create(PosixSignal.SIGTERM, s =>
        {
            s.Cancel = true;
            cancellation.Cancel();
        });
        try
        {
            bool live = !quiet && !Console.IsOutputRedirected && context.Output == Console.Out;
            if (live)
            {
                bool result = true;
                long total = cells.Count * study.Steps;
                long atStart = cells.Sum(c => c.Step);
                var clock = System.Diagnostics.Stopwatch.StartNew();
                ProgressState State()
                {
                    long done = cells.Sum(c => c.Step);
                    double rate = (done - atStart) / Math.Max(clock.Elapsed.TotalSeconds, 1e-9);
                    string runs = $"{cells.Count(c => c.Status == "done")}/{cells.Count} runs done, {cells.Count(c => c.Status == "running")} running";
                    return new ProgressState($"{study.Agent} {study.Env}", (double)done / total, [runs, $"{rate:N0} sps"], clock.Elapsed,
                        rate > 0 ? TimeSpan.FromSeconds((total - done) / rate) : null);
                }
                AnsiConsole.Live(ProgressLine.Renderable(State(), AnsiConsole.Profile.Width)).AutoClear(false).Start(ctx =>
                {
                    result = Schedule(study, cells, jobs, cancellation.Token, () =>
                    {
                        ctx.UpdateTarget(ProgressLine.Renderable(State(), AnsiConsole.Profile.Width));
                        ctx.Refresh();
                    }, context);
                    ctx.UpdateTarget(ProgressLine.Renderable(State(), AnsiConsole.Profile.Width));
                });
                return result;
            }
            return Schedule(study, cells, jobs, cancellation.Token, null, context);
        }
        finally
        {
            Console.CancelKeyPress -= onCancel;
        }
    }

    private static bool Schedule(ComparisonStudy study, List<Cell> cells, int jobs, CancellationToken cancellation, Action? refresh, CliContext context)
    {
        var pending = new Queue<Cell>(cells);
        var running = new List<Cell>();
        bool forwarded = false;
        while (pending.Count > 0 || running.Count > 0)
        {
            if (cancellation.IsCancellationRequested && !forwarded)
            {
                // Let every worker write its checkpoint and exit (the next compare resumes them); start no new ones.
                foreach (Cell c in running) SendTerminate(c.Process!);
                pending.Clear();
                forwarded = true;
            }
            while (!cancellation.IsCancellationRequested && running.Count < jobs && pending.Count > 0)
            {
                Cell cell = pending.Dequeue();
                cell.Process = StartWorker(study, cell);
                cell.Status = "running";
                running.Add(cell);
                if (refresh is null) context.Error.WriteLine($"started {cell.Norm} seed {cell.Seed}");
            }
            foreach (Cell cell in running.ToList())
            {
                if (!cell.Process!.HasExited) continue;
                cell.Process.WaitForExit();
                int code = cell.Process.ExitCode;
                cell.Status = code == 0 ? "done" : code == TrainCommand.Interrupted ? "interrupted" : $"failed ({code})";
                if (code == 0) cell.Step = study.Steps;
                if (code != 0 && code != TrainCommand.Interrupted)
                    context.Error.WriteLine($"run {cell.Folder} failed with exit code {code}: {cell.LastError}");
                else if (refresh is null) context.Error.WriteLine($"{cell.Status}: {cell.Norm} seed {cell.Seed}");
                cell.Process.Dispose();
                running.Remove(cell);
            }
            refresh?.Invoke();
            Thread.Sleep(100);
        }
        return !cancellation.IsCancellationRequested && cells.All(c => c.Status == "done");
    }

    private static Process StartWorker(ComparisonStudy study, Cell cell)
    {
        // Workers are this same program: `dotnet rlreg.dll train ...`.
        string dll = typeof(CliApp).Assembly.Location;
        string dotnet = Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") is { Length: > 0 } host ? host
            : Path.GetFileNameWithoutExtension(Environment.ProcessPath) == "dotnet" ? Environment.ProcessPath! : "dotnet";
        var info = new ProcessStartInfo(dotnet) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        info.ArgumentList.Add(dll);
        info.ArgumentList.Add("train");
        if (Directory.Exists(cell.Folder) && File.Exists(Path.Combine(cell.Folder, "config.json")))
        {
            info.ArgumentList.Add("--resume");
            info.ArgumentList.Add(cell.Folder);
        }
        else
        {
            foreach (string a in new[] { "--agent", study.Agent, "--env", study.Env, "--norm", cell.Norm, "--seed", cell.Seed.ToString(),
                                         "--steps", study.Steps.ToString(), "--preset", study.Preset, "--out", cell.Folder })
                info.ArgumentList.Add(a);
            foreach (string o in study.Overrides)
            {
                info.ArgumentList.Add("--set");
                info.ArgumentList.Add(o);
            }
        }
        info.ArgumentList.Add("--threads");
        info.ArgumentList.Add("1");
        info.ArgumentList.Add("--progress-json");
        var process = Process.Start(info) ?? throw new InvalidOperationException($"could not start a worker for {cell.Folder}");
        process.OutputDataReceived += (_, e) =>
        {
            if (e.Data is { } line && line.StartsWith("{\"progress\":", StringComparison.Ordinal))
            {
                try
                {
                    cell.Step = JsonDocument.Parse(line).RootElement.GetProperty("progress").GetInt64();
                }
                catch (JsonException)
                {
                    // A torn line: the next one will do.
                }
            }
        };
        process.ErrorDataReceived += (_, e) =>
        {
            if (!string.IsNullOrWhiteSpace(e.Data)) cell.LastError = e.Data;
        };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return process;
    }

    [LibraryImport("libc", EntryPoint = "kill", SetLastError = true)]
    private static partial int Kill(int pid, int signal);

    private static void SendTerminate(Process process)
    {
        const int Sigterm = 15;
        if (!process.HasExited) Kill(process.Id, Sigterm);
    }

    private static void WriteTable(ComparisonReport report, CliContext context)
    {
        if (context.Output != Console.Out || Console.IsOutputRedirected)
        {
            context.Output.WriteLine(report.ToMarkdown());
            return;
        }
        static string F(double v) => ComparisonReport.FormatValue(v);
        int n = report.Study.Seeds.Length;
        var table = new Table().Title(Markup.Escape($"{report.Study.Agent} on {report.Study.Env}: {n} seed{(n == 1 ? "" : "s")} × {report.Study.Steps:N0} steps"));
        if (ComparisonReport.FewSeedsCaveat(n) is { } few) table.Caption($"[yellow]{Markup.Escape("warning: " + few)}[/]");
        string[] headers = ["norm", "runs", "final IQM [95% CI]", "final mean [95% CI]", "AUC", $"P(> {report.Study.Baseline})"];
        table.AddColumns([.. headers.Select(Markup.Escape)]);
        if (report.ChangeStep is not null) table.AddColumns("pre-change", "drop", "recovered");
        foreach (NormalizerSummary s in report.Normalizers)
        {
            var row = new List<string>
            {
                s.Norm, s.Runs.ToString(),
                $"{F(s.FinalIqm.Estimate)} [{F(s.FinalIqm.Lower)}, {F(s.FinalIqm.Upper)}]",
                $"{F(s.FinalMean.Estimate)} [{F(s.FinalMean.Lower)}, {F(s.FinalMean.Upper)}]",
                F(s.Auc.Estimate),
                s.ImprovementOverBaseline is { } p ? $"{p.Estimate:F2} [{p.Lower:F2}, {p.Upper:F2}]" : "baseline",
            };
            if (report.ChangeStep is not null)
            {
                row.Add(s.Change is { } c ? F(c.PreChange.Estimate) : "–");
                row.Add(s.Change is { } d ? F(d.Drop.Estimate) : "–");
                row.Add(s.Change is { } r ? $"{r.Recovered}/{s.Runs}" : "–");
            }
            table.AddRow([.. row.Select(Markup.Escape)]);
        }
        AnsiConsole.Write(table);
    }
}
