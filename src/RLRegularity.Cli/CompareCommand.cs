using System.CommandLine;
using System.Diagnostics;
using System.Runtime.InteropServices;
using System.Text.Json;
using RLRegularity.Agents.Common;
using RLRegularity.Agents.Interventions;
using RLRegularity.Agents.Comparison;
using RLRegularity.Envs.Core;
using RLRegularity.Normalization;
using Spectre.Console;

namespace RLRegularity.Cli;

/// <summary>
/// <c>rlreg compare</c>: runs a study (the flag form's normalizers × seeds, or a study file's axes) cell by cell through
/// an executor (this machine's worker pool, or Slurm job arrays), skips finished cells, resumes interrupted ones, and
/// aggregates the runs into summary.json, summary.md and a console table per group. Option parsing and display live
/// here; the study, its manifest and the executors are in RLRegularity.Agents.Comparison.
/// </summary>
internal static partial class CompareCommand
{
    // Five seeds: the fewest for which rliable's interval estimates are worth reporting.
    private static readonly long[] DefaultSeeds = [1, 2, 3, 4, 5];

    // How often --wait looks at the queue and the cells' files.
    private static readonly TimeSpan WaitPoll = TimeSpan.FromSeconds(2);

    public static Command Build(CliContext context)
    {
        var studyFile = new Option<string>("--study") { Description = "A study file (JSON) with axes over agents, envs, presets, normalizers, seeds and any config key; see docs/cluster.md. Replaces --agent/--env/--norms/--seeds/--steps/--preset/--set.", HelpName = "file" };
        var agent = new Option<string>("--agent") { Description = "dqn or ppo. Required unless --study is given." };
        CliParsing.OneOf(agent, [.. AgentFactory.Agents]);
        var env = EnvCommand.EnvOption(required: false);
        env.Description += " Required unless --study is given.";
        var interventions = new Option<string>("--interventions") { Description = $"Comma-separated plasticity interventions, e.g. none,snp,redo,l2init ({string.Join(", ", InterventionNames.All)}): an axis of the study, one group per intervention, each comparing the normalizers (default: none only). See docs/PLASTICITY.md." };
        var norms = new Option<string>("--norms") { Description = "Comma-separated normalizers, e.g. none,ln,rn,rnr. (default: none,ln,rn,rnr)" };
        var seeds = new Option<long[]>("--seeds")
        {
            Description = "Seeds per normalizer: a count n (seeds 1..n, e.g. 5) or a comma-separated list (e.g. 0,7,42; 42, is seed 42 alone). Fewer than 5 seeds give intervals too wide to trust. (default: 5, i.e. seeds 1..5)",
            CustomParser = CliParsing.Seeds,
            HelpName = "n|s1,s2,...",
            Arity = ArgumentArity.ExactlyOne,
        };
        var steps = new Option<long>("--steps") { Description = "Environment steps per run, e.g. 200000, 2e5 or 200k; with --episodes, the cap of each run. Required unless --episodes or --study is given.", CustomParser = CliParsing.Long(1) };
        var episodes = new Option<long>("--episodes") { Description = "Episodes per run (the paper's budget, e.g. 2000): each run stops after exactly this many finished episodes, and the report reads curves over episodes (final = mean of the last 50). Without --steps the cap lets every episode reach the time limit.", CustomParser = CliParsing.Long(1) };
        var carryover = new Option<bool>("--epsilon-carryover") { Description = "DQN: the paper's protocol (its notebook never resets ε between runs), so the first seed explores from ε-start and every later seed starts at ε-end (added to its command as --set epsilon_start=...)." };
        var evalEvery = new Option<long>("--eval-every") { Description = "Evaluate every run's greedy policy every N steps on a separate environment copy (as train --eval-every); the report adds the final evaluation's IQM and mean.", CustomParser = CliParsing.Long(1) };
        var evalEpisodes = new Option<int>("--eval-episodes") { Description = "Episodes per evaluation (default: train's, 10).", CustomParser = CliParsing.Int(1) };
        var preset = new Option<string>("--preset") { Description = "Agent preset: dqn: tuned (default), paper; ppo: classic (default), minigrid." };
        var set = new Option<string[]>("--set") { Description = "key=value overrides applied to every run." };
        var jobs = new Option<int>("--jobs") { Description = "Cells running at a time: local workers (default: one per core), or Slurm's array throttle %P (default: no throttle).", CustomParser = CliParsing.Int(1) };
        var output = new Option<string>("--out") { Description = "Study folder (default runs/<env>/compare-<agent>-<preset>-<norms>-<n>seeds-<steps>steps, or runs/studies/<study file name>)." };
        var quiet = new Option<bool>("--quiet") { Description = "No live display." };
        var executor = new Option<string>("--executor") { Description = "Where cells run: local (worker processes on this machine) or slurm (job arrays; see docs/cluster.md).", DefaultValueFactory = _ => "local" };
        CliParsing.OneOf(executor, "local", "slurm");
        var wait = new Option<bool>("--wait") { Description = "With --executor slurm: block until the summary is written, showing done/running/pending/failed cells." };
        var status = new Option<string>("--status") { Description = "Show a study folder's cells (done, running, pending, failed, with their Slurm job ids) and exit.", HelpName = "dir" };
        var partition = new Option<string>("--partition") { Description = "Slurm: sbatch --partition." };
        var account = new Option<string>("--account") { Description = "Slurm: sbatch --account." };
        var qos = new Option<string>("--qos") { Description = "Slurm: sbatch --qos." };
        var time = new Option<string>("--time") { Description = "Slurm: sbatch --time, a cell's time limit (it checkpoints and requeues itself 120 s before)." };
        var mem = new Option<string>("--mem") { Description = "Slurm: sbatch --mem." };
        var cpus = new Option<int?>("--cpus-per-task") { Description = "Slurm: sbatch --cpus-per-task (default 1).", CustomParser = r => (int?)CliParsing.Int(1)(r) };
        var slurmArg = new Option<string[]>("--slurm-arg") { Description = "Slurm: any other sbatch flag, repeatable, e.g. --slurm-arg=--constraint=avx2.", HelpName = "flag" };
        var runCell = new Option<string>("--run-cell") { Description = "Run one cell of a study folder (what a Slurm array task does).", Hidden = true };
        var index = new Option<int?>("--index") { Description = "With --run-cell: the cell's index in cells.jsonl.", Hidden = true, CustomParser = r => (int?)CliParsing.Int(0)(r) };
        var aggregate = new Option<string>("--aggregate") { Description = "Write a study folder's summary (what the aggregation job does).", Hidden = true };
        var command = new Command("compare", "Run a study (normalizers × seeds, or a study file's axes) locally or on Slurm, resumable, and report IQM/mean with bootstrap CIs, AUC, thresholds, change response and probability of improvement per group.")
        {
            studyFile, agent, env, norms, interventions, seeds, steps, episodes, carryover, evalEvery, evalEpisodes, preset, set, jobs, output, quiet, executor, wait, status,
            partition, account, qos, time, mem, cpus, slurmArg, runCell, index, aggregate,
        };
        command.SetAction(parse =>
        {
            bool Given(Option option) => parse.GetResult(option) is { Implicit: false };
            Option[] studyOptions = [agent, env, norms, interventions, seeds, steps, episodes, carryover, evalEvery, evalEpisodes, preset, set];
            Option[] slurmOptions = [wait, partition, account, qos, time, mem, cpus, slurmArg];
            Option[] modes = [status, runCell, aggregate];
            if (modes.Count(Given) > 1) throw new CliUsageException("--status, --run-cell and --aggregate are separate actions; give one");
            if (Given(index) && !Given(runCell)) throw new CliUsageException("--index names the cell for --run-cell DIR");
            if (modes.FirstOrDefault(Given) is { } mode && studyOptions.Append(studyFile).Concat(slurmOptions).FirstOrDefault(Given) is { } extra)
                throw new CliUsageException($"{mode.Name} reads the study folder as it is: {extra.Name} cannot be combined with it");
            if (parse.GetValue(status) is { } statusDir) return ShowStatus(ReadManifest(statusDir, "--status"), context);
            if (parse.GetValue(aggregate) is { } aggregateDir) return Summarize(ReadManifest(aggregateDir, "--aggregate"), context);
            if (parse.GetValue(runCell) is { } cellDir)
            {
                int cellIndex = parse.GetValue(index) ?? throw new CliUsageException("--run-cell needs --index N (the cell's line in cells.jsonl, from 0)");
                return RunOneCell(ReadManifest(cellDir, "--run-cell"), cellIndex, context);
            }

            bool slurm = parse.GetValue(executor) == "slurm";
            if (!slurm && slurmOptions.FirstOrDefault(Given) is { } slurmOnly)
                throw new CliUsageException($"{slurmOnly.Name} is for --executor slurm");
            StudyDefinition study;
            string folder;
            if (parse.GetValue(studyFile) is { } file)
            {
                if (studyOptions.FirstOrDefault(Given) is { } both)
                    throw new CliUsageException($"--study defines the whole study; {both.Name} cannot be combined with it (put it in the study file)");
                study = StudyDefinition.ReadFile(file);
                folder = parse.GetValue(output) ?? Path.Combine("runs", "studies", Path.GetFileNameWithoutExtension(file));
            }
            else
            {
                string agentName = parse.GetValue(agent) ?? throw new CliUsageException("--agent is required (or give the whole study with --study FILE)");
                string envName = parse.GetValue(env) ?? throw new CliUsageException("--env is required (or give the whole study with --study FILE)");
                if (!Given(steps) && !Given(episodes)) throw new CliUsageException("--steps or --episodes is required (or give the whole study with --study FILE)");
                if (parse.GetValue(carryover) && agentName != "dqn") throw new CliUsageException($"--epsilon-carryover is the paper's DQN protocol; {agentName} has no ε");
                long? episodeBudget = Given(episodes) ? parse.GetValue(episodes) : null;
                if (Given(evalEpisodes) && !Given(evalEvery)) throw new CliUsageException("--eval-episodes needs --eval-every N (steps between evaluations)");
                long stepBudget = StudyDefinition.StepBudget(Given(steps) ? parse.GetValue(steps) : null, episodeBudget, [envName], "--episodes");
                string[] normList = CliParsing.NormalizerNames("--norms", parse.GetValue(norms) ?? string.Join(',', Normalizers.DefaultComparison));
                string presetName = parse.GetValue(preset) ?? AgentFactory.Presets(agentName)[0];
                string[] overrides = parse.GetValue(set) ?? [];
                string[] interventionList = CliParsing.InterventionList("--interventions", parse.GetValue(interventions) ?? InterventionNames.Name(InterventionKind.None));
                // One intervention is a fixed key of the one-group study; several are an axis over the config key `intervention`.
                if (interventionList.Length == 1 && Given(interventions)) overrides = [.. overrides, $"intervention=\"{interventionList[0]}\""];
                AgentFactory.Resolve(agentName, presetName, null, overrides); // validate once, before any process starts
                var comparison = new ComparisonStudy(agentName, envName, normList, CliParsing.SeedsOrDefault(parse, seeds, DefaultSeeds),
                    stepBudget, presetName, overrides, episodeBudget, parse.GetValue(carryover),
                    Given(evalEvery) ? parse.GetValue(evalEvery) : null, Given(evalEpisodes) ? parse.GetValue(evalEpisodes) : null);
                study = StudyDefinition.FromComparison(comparison);
                folder = parse.GetValue(output) ?? comparison.DefaultFolder("runs");
                if (interventionList.Length > 1)
                {
                    study = study with { ConfigAxes = [new ConfigAxis("intervention", [.. interventionList.Select(n => $"\"{n}\"")])] };
                    if (!Given(output)) folder += $"-interventions-{string.Join('+', interventionList)}";
                }
            }
            var warnings = new List<string>();
            foreach (StudyGroup group in study.Groups())
                warnings.AddRange(RunWarnings.ForRun(group.Comparison.Agent, group.Comparison.Env, group.Comparison.Preset, study.Steps));
            foreach (string warning in warnings.Distinct()) context.Error.WriteLine($"warning: {warning}");
            if (RunWarnings.ForSeeds(study.Seeds.Length) is { } fewSeeds) context.Error.WriteLine($"warning: {fewSeeds}");
            study.WriteOrCheck(folder);
            StudyManifest manifest = StudyManifest.Write(folder, study);
            if (!slurm)
            {
                var local = new LocalExecutor(Rlreg(), parse.GetValue(jobs) is int j and > 0 ? j : Environment.ProcessorCount, context.Error);
                bool completed = RunLocally(local, manifest, context, parse.GetValue(quiet));
                ShowSummary(manifest, manifest.WriteSummary(), context);
                return completed ? 0 : TrainCommand.Interrupted;
            }
            var options = new SlurmOptions(parse.GetValue(jobs) is int p and > 0 ? p : manifest.Cells.Count, parse.GetValue(partition), parse.GetValue(account),
                parse.GetValue(qos), parse.GetValue(time), parse.GetValue(mem), parse.GetValue(cpus), parse.GetValue(slurmArg) ?? []);
            var submitter = new SlurmExecutor(Rlreg(), options, context.Error);
            if (submitter.Execute(manifest, CancellationToken.None))
            {
                ShowSummary(manifest, manifest.WriteSummary(), context);
                return 0;
            }
            if (!parse.GetValue(wait))
            {
                context.Output.WriteLine($"submitted {manifest.Cells.Count(c => submitter.Submitted!.TaskOf(c.Index) is not null)} cell(s); follow them with: rlreg compare --status {manifest.Folder}");
                return 0;
            }
            return WaitForSummary(manifest, context);
        });
        return command;
    }

    private static StudyManifest ReadManifest(string folder, string option)
    {
        if (!Directory.Exists(folder)) throw new CliUsageException($"{option}: the study folder '{folder}' does not exist");
        return StudyManifest.Read(folder);
    }

    // This same rlreg, with absolute paths: `dotnet /abs/rlreg.dll`.
    private static RlregProgram Rlreg()
    {
        string dll = typeof(CliApp).Assembly.Location;
        string dotnet = Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") is { Length: > 0 } host ? host
            : Path.GetFileNameWithoutExtension(Environment.ProcessPath) == "dotnet" ? Environment.ProcessPath! : "dotnet";
        if (!Path.IsPathRooted(dotnet))
        {
            dotnet = (Environment.GetEnvironmentVariable("PATH") ?? "").Split(':', StringSplitOptions.RemoveEmptyEntries)
                .Select(dir => Path.Combine(dir, dotnet)).FirstOrDefault(File.Exists) ?? dotnet;
        }
        return new RlregProgram(Path.GetFullPath(dotnet), [Path.GetFullPath(dll)]);
    }

    private static bool RunLocally(LocalExecutor local, StudyManifest manifest, CliContext context, bool quiet)
    {
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
            if (!live) return local.Execute(manifest, cancellation.Token);
            bool result = true;
            var clock = Stopwatch.StartNew();
            long atStart = -1;
            string title = manifest.Study.IsSingleGroup ? $"{manifest.Study.Agents[0]} {manifest.Study.Envs[0]}" : $"study of {manifest.Cells.Count} cells";
            ProgressState State()
            {
                IReadOnlyList<LocalCellRun> cells = local.Cells;
                long total = Math.Max(1, cells.Sum(c => c.Steps));
                long done = cells.Sum(c => c.Step);
                if (atStart < 0 && cells.Count > 0) atStart = done;
                double rate = (done - Math.Max(atStart, 0)) / Math.Max(clock.Elapsed.TotalSeconds, 1e-9);
                string runs = $"{cells.Count(c => c.Status == "done")}/{cells.Count} runs done, {cells.Count(c => c.Status == "running")} running";
                return new ProgressState(title, (double)done / total, [runs, $"{rate:N0} sps"], clock.Elapsed,
                    rate > 0 ? TimeSpan.FromSeconds((total - done) / rate) : null);
            }
            AnsiConsole.Live(ProgressLine.Renderable(State(), AnsiConsole.Profile.Width)).AutoClear(false).Start(ctx =>
            {
                local.Refresh = () =>
                {
                    ctx.UpdateTarget(ProgressLine.Renderable(State(), AnsiConsole.Profile.Width));
                    ctx.Refresh();
                };
                result = local.Execute(manifest, cancellation.Token);
                ctx.UpdateTarget(ProgressLine.Renderable(State(), AnsiConsole.Profile.Width));
            });
            return result;
        }
        finally
        {
            Console.CancelKeyPress -= onCancel;
        }
    }

    // --wait: polls the queue and the cells' files, prints a line whenever the counts change, until the aggregation job
    // has written the summary (or has left the queue without writing it).
    private static int WaitForSummary(StudyManifest manifest, CliContext context)
    {
        string? last = null;
        while (true)
        {
            StudyStatus now = StudyStatus.Read(manifest);
            if (now.QueueProblem is { } problem)
            {
                context.Error.WriteLine($"error: --wait cannot follow the study: {problem}; see rlreg compare --status {manifest.Folder}");
                return CliApp.RuntimeError;
            }
            if (now.Line != last) context.Error.WriteLine(last = now.Line);
            if (now.HasSummary && now.QueuedJobs.Count == 0) break;
            if (now.QueuedJobs.Count == 0)
            {
                Thread.Sleep(WaitPoll); // the summary's rename may trail the job's exit by a moment
                if (File.Exists(Path.Combine(manifest.Folder, "summary.json"))) break;
                context.Error.WriteLine($"error: the study's jobs have left the queue without writing a summary; see {Path.Combine(manifest.Folder, "slurm", "logs")}");
                return CliApp.RuntimeError;
            }
            Thread.Sleep(WaitPoll);
        }
        ShowSummary(manifest, manifest.Reports(), context);
        StudyStatus final = StudyStatus.Read(manifest);
        return final.Count(CellProgress.Done) == manifest.Cells.Count ? 0 : CliApp.RuntimeError;
    }

    private static int ShowStatus(StudyManifest manifest, CliContext context)
    {
        StudyStatus status = StudyStatus.Read(manifest);
        if (status.QueueProblem is { } problem) context.Error.WriteLine($"warning: Slurm's queue could not be read ({problem}); the states below come from the cells' files only");
        foreach (CellStatus c in status.Cells)
            context.Output.WriteLine($"{c.Cell.Index,4}  {c.State.ToString().ToLowerInvariant(),-8} {c.SlurmTask ?? "-",-12} {Path.GetRelativePath(manifest.Folder, c.Cell.Folder),-28} {c.Detail}".TrimEnd());
        context.Output.WriteLine(status.Line + (status.QueuedJobs.Count > 0 ? $"; queued jobs: {string.Join(", ", status.QueuedJobs)}" : "")
                                 + (status.HasSummary ? "; summary.json written" : ""));
        return 0;
    }

    private static int Summarize(StudyManifest manifest, CliContext context)
    {
        var reports = manifest.WriteSummary();
        foreach (string problem in reports.SelectMany(r => r.Report.Problems)) context.Error.WriteLine($"warning: {problem}");
        context.Output.WriteLine($"summary: {Path.Combine(manifest.Folder, "summary.md")}");
        return 0;
    }

    // What a Slurm array task runs: the cell's next step (nothing, a resume, or a fresh train), in this process. SIGUSR1
    // (sbatch --signal=B:USR1@120, before the time limit) stops the run at a checkpoint like SIGTERM does, and then
    // requeues this task, so that it resumes in a new allocation; a SIGTERM of its own (scancel) only stops it.
    private static int RunOneCell(StudyManifest manifest, int index, CliContext context)
    {
        StudyCell cell = manifest.Cell(index);
        if (TrainingRun.IsInUse(cell.Folder)) throw new InvalidOperationException($"cell {cell.Name} ({cell.Folder}) is being run by another process");
        string[]? arguments = cell.NextArguments(context.Error);
        if (arguments is null)
        {
            context.Error.WriteLine($"cell {cell.Name} is already finished; nothing to do");
            return 0;
        }
        context.Error.WriteLine($"cell {cell.Name}: rlreg {string.Join(' ', arguments)}");
        bool timeUp = false;
        using var usr1 = PosixSignalRegistration.Create((PosixSignal)Usr1, s =>
        {
            s.Cancel = true;
            timeUp = true;
            Kill(Environment.ProcessId, Sigterm);
        });
        int code = CliApp.Run(arguments, context.Output, context.Error);
        if (code == TrainCommand.Interrupted && timeUp && Environment.GetEnvironmentVariable("SLURM_ARRAY_JOB_ID") is { Length: > 0 } job
            && Environment.GetEnvironmentVariable("SLURM_ARRAY_TASK_ID") is { Length: > 0 } task)
        {
            context.Error.WriteLine($"cell {cell.Name}: checkpointed before the time limit; requeueing {job}_{task}");
            SlurmCommands.Run("scontrol", "requeue", $"{job}_{task}");
        }
        return code;
    }

    private const int Usr1 = 10;
    private const int Sigterm = 15;

    [LibraryImport("libc", EntryPoint = "kill", SetLastError = true)]
    private static partial int Kill(int pid, int signal);

    private static void ShowSummary(StudyManifest manifest, IReadOnlyList<(StudyGroup Group, ComparisonReport Report)> reports, CliContext context)
    {
        foreach ((StudyGroup group, ComparisonReport report) in reports)
        {
            if (group.Title.Length > 0) context.Output.WriteLine($"## {group.Title}");
            WriteTable(report, context);
        }
        foreach (string problem in reports.SelectMany(r => r.Report.Problems)) context.Error.WriteLine($"warning: {problem}");
        context.Output.WriteLine($"summary: {Path.Combine(manifest.Folder, "summary.md")}");
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
