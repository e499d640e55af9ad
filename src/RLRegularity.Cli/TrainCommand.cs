using System.CommandLine;
using System.Runtime.InteropServices;
using System.Text.Json.Nodes;
using RLRegularity.Agents.Common;
using RLRegularity.Agents.Interventions;
using Spectre.Console;

namespace RLRegularity.Cli;

/// <summary><c>rlreg train</c>: trains an agent into a run folder, with checkpoints, resume and clean interruption.</summary>
internal static class TrainCommand
{
    /// <summary>Exit code of a run stopped by SIGINT/SIGTERM after writing its checkpoint.</summary>
    public const int Interrupted = 130;

    public static Command Build(CliContext context)
    {
        var agent = new Option<string>("--agent") { Description = "dqn or ppo. Required unless --resume is given or --config is a run's config.json." };
        CliParsing.OneOf(agent, [.. AgentFactory.Agents]);
        var env = EnvCommand.EnvOption(required: false);
        env.Description += " Required unless --resume is given or --config is a run's config.json.";
        var norm = new Option<string>("--norm") { Description = $"Hidden-layer normalizer: {string.Join(", ", RLRegularity.Normalization.Normalizers.Names)} (overrides the config; default: the preset's, none)." };
        norm.CompletionSources.Add([.. RLRegularity.Normalization.Normalizers.Names]);
        var intervention = new Option<string>("--intervention") { Description = $"Plasticity intervention: {string.Join(", ", InterventionNames.All)} (the config key intervention; its options are intervention_options.* keys; default: none). See docs/PLASTICITY.md." };
        CliParsing.OneOf(intervention, [.. InterventionNames.All]);
        var seed = new Option<long>("--seed") { Description = "Seed of the whole run.", DefaultValueFactory = _ => 1, CustomParser = CliParsing.Long(0) };
        var steps = new Option<long>("--steps") { Description = "Total environment steps, e.g. 200000, 200_000, 2e5 or 200k. Required unless --resume is given or --config is a run's config.json.", CustomParser = CliParsing.Long(1) };
        var episodes = new Option<long?>("--episodes")
        {
            Description = "An episode budget: stop after this many finished episodes (as the paper counts; DQN stops right after the last one, PPO at the end of its update). --steps is then the most steps the run may take (default: episodes × the env's step limit).",
            CustomParser = CliParsing.NullableLong(1),
        };
        var evalEvery = new Option<long?>("--eval-every")
        {
            Description = "Evaluate the greedy policy every this many steps on a separate environment copy (SB3's EvalCallback), into evals.csv and TensorBoard (default: no evaluations).",
            CustomParser = CliParsing.NullableLong(1),
        };
        var evalEpisodes = new Option<int>("--eval-episodes") { Description = "Episodes per evaluation.", DefaultValueFactory = _ => 10, CustomParser = CliParsing.Int(1) };
        var preset = new Option<string>("--preset") { Description = "dqn: tuned (default), paper; ppo: classic (default), minigrid." };
        var configFile = new Option<FileInfo>("--config") { Description = "A JSON file of config keys applied over the preset (default: none, the preset as is)." };
        var set = new Option<string[]>("--set") { Description = "key=value overrides (snake_case, dotted for nested keys), e.g. --set learning_rate=1e-3.", AllowMultipleArgumentsPerToken = false };
        var output = new Option<string>("--out") { Description = "Run folder (default runs/<env>/<agent>-<norm>-s<seed>-<timestamp>); must not exist." };
        var threads = new Option<int>("--threads") { Description = "TorchSharp intra-op threads.", DefaultValueFactory = _ => 1, CustomParser = CliParsing.Int(1) };
        var checkpointEvery = new Option<long?>("--checkpoint-every") { Description = "Steps between periodic checkpoints (default: a tenth of the run).", CustomParser = CliParsing.NullableLong(1) };
        var regularityEvery = new Option<int>("--regularity-every") { Description = "Updates between regularity.csv rows.", DefaultValueFactory = _ => 1, CustomParser = CliParsing.Int(1) };
        var resume = new Option<string>("--resume") { Description = "Continue the run in this folder from its newest intact checkpoint, exactly as configured (options that would change it are refused)." };
        var checkpoint = new Option<string>("--checkpoint") { Description = "With --resume: the checkpoint to resume from (a name under checkpoints/, as rlreg eval takes)." };
        var extendTo = new Option<long>("--extend-to") { Description = "With --resume: train the run on to this many steps in all. Schedules tied to the total (ε decay, learning-rate annealing) follow the new total from there on.", CustomParser = CliParsing.Long(1) };
        var quiet = new Option<bool>("--quiet") { Description = "No progress display; print only the summary JSON." };
        var progressJson = new Option<bool>("--progress-json") { Description = "Print progress as JSON lines (used by rlreg compare's workers).", Hidden = true };
        var command = new Command("train", "Train an agent; writes a run folder (config, CSV logs, TensorBoard events, checkpoints, summary).")
        {
            agent, env, norm, intervention, seed, steps, episodes, evalEvery, evalEpisodes, preset, configFile, set, output, threads, checkpointEvery, regularityEvery, resume, checkpoint, extendTo, quiet, progressJson,
        };
        command.SetAction(parse =>
        {
            bool Given(Option option) => parse.GetResult(option) is { Implicit: false };
            TrainingRun run;
            string? resumeFolder = parse.GetValue(resume);
            if (resumeFolder is null)
            {
                if (Given(checkpoint)) throw new CliUsageException("--checkpoint names the checkpoint to resume from: it needs --resume RUN");
                if (Given(extendTo)) throw new CliUsageException("--extend-to extends an existing run: it needs --resume RUN");
            }
            if (resumeFolder is not null)
            {
                if (!Directory.Exists(resumeFolder)) throw new CliUsageException($"--resume: the folder '{resumeFolder}' does not exist");
                if (Given(output)) throw new CliUsageException("--out cannot be combined with --resume: a resumed run stays in its folder");
                (RunSettings was, JsonObject wasConfig) = TrainingRun.ReadConfig(resumeFolder);
                var conflicts = new List<string>();
                void Compare(Option option, object? value, object? runs)
                {
                    if (Given(option) && !Equals(value, runs)) conflicts.Add($"{option.Name} {value} (the run's: {runs ?? "none"})");
                }
                Compare(agent, parse.GetValue(agent), was.Agent);
                Compare(env, parse.GetValue(env), was.Env);
                Compare(seed, parse.GetValue(seed), was.Seed);
                Compare(preset, parse.GetValue(preset), was.Preset);
                Compare(regularityEvery, parse.GetValue(regularityEvery), was.RegularityEvery);
                Compare(checkpointEvery, parse.GetValue(checkpointEvery), was.CheckpointEvery);
                Compare(evalEvery, parse.GetValue(evalEvery), was.EvalEvery);
                Compare(evalEpisodes, parse.GetValue(evalEpisodes), was.EvalEpisodes);
                Compare(episodes, parse.GetValue(episodes), was.Episodes);
                if (Given(steps) && parse.GetValue(steps) != was.Steps)
                    conflicts.Add($"--steps {parse.GetValue(steps)} (the run's: {was.Steps}; to train it further, use --extend-to {parse.GetValue(steps)})");
                if (Given(configFile) || Given(set) || Given(norm) || Given(intervention))
                {
                    JsonObject requested = AgentFactory.Apply(was.Agent, wasConfig, ReadConfigFile(parse.GetValue(configFile))?.AgentConfig,
                                                              Overrides(parse.GetValue(set), parse.GetValue(norm), parse.GetValue(intervention)));
                    conflicts.AddRange(RunConfigFile.Differences(AgentFactory.Apply(was.Agent, wasConfig, null, []), requested));
                }
                if (conflicts.Count > 0)
                    throw new CliUsageException($"--resume: the options given differ from the run in '{resumeFolder}': {string.Join("; ", conflicts)}. " +
                                                "A resumed run continues exactly as it was configured; to change it, start a new run " +
                                                $"(rlreg train --config {Path.Combine(resumeFolder, "config.json")} --set ... --out NEW_FOLDER)");
                run = TrainingRun.Resume(resumeFolder, new ResumeOptions
                {
                    Threads = Given(threads) ? parse.GetValue(threads) : null,
                    Checkpoint = parse.GetValue(checkpoint),
                    ExtendTo = Given(extendTo) ? parse.GetValue(extendTo) : null,
                    CommandLine = context.CommandLine,
                    Warn = message => context.Error.WriteLine($"warning: {message}"),
                });
            }
            else
            {
                // A run's own config.json given as --config supplies its run settings too, unless the command line gives them.
                RunConfigFile? file = ReadConfigFile(parse.GetValue(configFile));
                RunSettings? fromFile = file?.Run;
                string agentName = Given(agent) ? parse.GetValue(agent)! : fromFile?.Agent
                    ?? throw new CliUsageException("--agent is required (dqn or ppo), unless --resume is given");
                if (fromFile is not null && agentName != fromFile.Agent)
                    throw new CliUsageException($"--agent {agentName} conflicts with --config {parse.GetValue(configFile)!.FullName}, a {fromFile.Agent} run's config");
                string envId = Given(env) ? parse.GetValue(env)! : fromFile?.Env
                    ?? throw new CliUsageException("--env is required, unless --resume is given");
                long? episodeBudget = Given(episodes) ? parse.GetValue(episodes) : fromFile?.Episodes;
                long totalSteps = Given(steps) ? parse.GetValue(steps) : fromFile?.Steps ?? DefaultStepCap(envId, episodeBudget)
                    ?? throw new CliUsageException("--steps is required (or --episodes), unless --resume is given");
                string presetName = Given(preset) ? parse.GetValue(preset)! : fromFile?.Preset ?? AgentFactory.Presets(agentName)[0];
                JsonObject agentConfig = AgentFactory.Resolve(agentName, presetName, file?.AgentConfig, Overrides(parse.GetValue(set), parse.GetValue(norm), parse.GetValue(intervention)));
                long defaultCheckpointEvery = fromFile is not null && !Given(steps) ? fromFile.CheckpointEvery : Math.Max(1, totalSteps / 10);
                var settings = new RunSettings(agentName, envId,
                    Given(seed) ? parse.GetValue(seed) : fromFile?.Seed ?? parse.GetValue(seed),
                    totalSteps, presetName,
                    Given(threads) ? parse.GetValue(threads) : fromFile?.Threads ?? parse.GetValue(threads),
                    parse.GetValue(checkpointEvery) ?? defaultCheckpointEvery,
                    Given(regularityEvery) ? parse.GetValue(regularityEvery) : fromFile?.RegularityEvery ?? parse.GetValue(regularityEvery),
                    episodeBudget,
                    Given(evalEvery) ? parse.GetValue(evalEvery) : fromFile?.EvalEvery,
                    Given(evalEpisodes) ? parse.GetValue(evalEpisodes) : fromFile?.EvalEpisodes ?? parse.GetValue(evalEpisodes));
                foreach (string warning in RunWarnings.ForRun(agentName, envId, presetName, totalSteps)) context.Error.WriteLine($"warning: {warning}");
                string folder = parse.GetValue(output) ?? TrainingRun.DefaultFolder("runs", settings, agentConfig);
                run = TrainingRun.Create(folder, settings, agentConfig, context.CommandLine);
            }
            using (run)
            {
                if (parse.GetValue(progressJson))
                {
                    run.Progress = p => JsonOutput.WriteLine(context.Output, w =>
                    {
                        w.WriteNumber("progress", p.Step);
                        w.WriteNumber("total", p.TotalSteps);
                        w.WriteNumber("episodes", p.Episodes);
                        w.WriteNumber("sps", Math.Round(p.StepsPerSecond));
                    });
                }
                return Execute(run, context, parse.GetValue(quiet) || parse.GetValue(progressJson));
            }
        });
        return command;
    }

    // With an episode budget and no --steps, the cap every episode fits in: the budget times the env's step limit.
    private static long? DefaultStepCap(string envId, long? episodes) => episodes is long n ? RunSettings.StepCapForEpisodes(envId, n) : null;

    // --set overrides, with --norm and --intervention last.
    private static List<string> Overrides(string[]? set, string? norm, string? intervention)
    {
        var overrides = new List<string>(set ?? []);
        if (norm is not null) overrides.Add($"normalizer=\"{norm}\"");
        if (intervention is not null) overrides.Add($"intervention=\"{intervention}\"");
        return overrides;
    }

    private static RunConfigFile? ReadConfigFile(FileInfo? file)
    {
        if (file is null) return null;
        try
        {
            return RunConfigFile.Read(file.FullName);
        }
        catch (Exception e) when (e is FileNotFoundException or InvalidDataException)
        {
            throw new CliUsageException($"--config: {e.Message}");
        }
    }

    private static int Execute(TrainingRun run, CliContext context, bool quiet)
    {
        using var cancellation = new CancellationTokenSource();
        ConsoleCancelEventHandler onCancel = (_, e) =>
        {
            e.Cancel = true;
            cancellation.Cancel();
        };
        Console.CancelKeyPress += onCancel;
        using var sigterm = PosixSignalRegistration.Create(PosixSignal.SIGTERM, signal =>
        {
            signal.Cancel = true;
            cancellation.Cancel();
        });
        try
        {
            RunOutcome outcome;
            bool live = !quiet && !Console.IsOutputRedirected && context.Output == Console.Out;
            if (live)
            {
                outcome = RunWithProgressBar(run, cancellation.Token, AnsiConsole.Console);
            }
            else
            {
                if (!quiet) context.Error.WriteLine($"training into {run.Folder}");
                outcome = run.Run(cancellation.Token);
            }
            if (outcome == RunOutcome.Interrupted)
            {
                context.Error.WriteLine($"interrupted at step {run.Learner.GlobalStep}; checkpoint written. Resume with: rlreg train --resume {run.Folder}");
                return Interrupted;
            }
            if (!quiet) WriteLearningCurve(run, context.Output);
            context.Output.WriteLine(File.ReadAllText(Path.Combine(run.Folder, "summary.json")));
            return 0;
        }
        finally
        {
            Console.CancelKeyPress -= onCancel;
        }
    }

    // The learning curve's numbers: mean episode return per tenth of the run.
    private static void WriteLearningCurve(TrainingRun run, TextWriter output)
    {
        LearningCurve curve = LearningCurve.FromEpisodesCsv(Path.Combine(run.Folder, "episodes.csv"), run.Settings.Steps);
        output.WriteLine($"learning curve ({run.Settings.Agent}, {run.Settings.Env}, norm {AgentFactory.NormalizerOf(run.AgentConfig)}, seed {run.Settings.Seed}):");
        output.WriteLine("      up to step   episodes   mean return");
        for (int i = 0; i < curve.BinEnd.Length; i++)
            output.WriteLine($"  {curve.BinEnd[i],14:N0}   {curve.Episodes[i],8}   {(double.IsNaN(curve.MeanReturn[i]) ? "-" : curve.MeanReturn[i].ToString("F1")),11}");
    }

    /// <summary>Runs <paramref name="run"/> with its progress redrawn in place on one line of <paramref name="console"/>.</summary>
    internal static RunOutcome RunWithProgressBar(TrainingRun run, CancellationToken cancellation, IAnsiConsole console)
    {
        RunOutcome outcome = RunOutcome.Interrupted;
        console.MarkupLine($"[grey]run folder[/] {Markup.Escape(run.Folder)}");
        string label = $"{run.Settings.Agent} {run.Settings.Env}";
        ProgressState State(RunProgress? p)
        {
            long step = p?.Step ?? run.Learner.GlobalStep;
            long total = run.Settings.Steps;
            var details = new List<string> { $"step {step:N0}/{total:N0}" };
            if (p is not null && double.IsFinite(p.MeanReturn20)) details.Add($"R20 {p.MeanReturn20:F1}");
            if (p is not null) details.Add($"{p.StepsPerSecond:N0} sps");
            if (p is not null) details.Add($"ep {p.Episodes:N0}");
            TimeSpan? remaining = p is { StepsPerSecond: > 0 } ? TimeSpan.FromSeconds((total - step) / p.StepsPerSecond) : null;
            return new ProgressState(label, total > 0 ? (double)step / total : 0, details, p?.Elapsed ?? TimeSpan.Zero, step >= total ? TimeSpan.Zero : remaining);
        }
        RunProgress? last = null;
        console.Live(ProgressLine.Renderable(State(null), console.Profile.Width))
            .AutoClear(false)
            .Start(ctx =>
            {
                run.Progress = p =>
                {
                    last = p;
                    ctx.UpdateTarget(ProgressLine.Renderable(State(p), console.Profile.Width));
                    ctx.Refresh();
                };
                outcome = run.Run(cancellation);
                if (last is not null) ctx.UpdateTarget(ProgressLine.Renderable(State(last with { Step = run.Learner.GlobalStep }), console.Profile.Width));
            });
        return outcome;
    }
}
