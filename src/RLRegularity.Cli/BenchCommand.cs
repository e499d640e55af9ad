using System.CommandLine;
using System.Diagnostics;
using System.Text.Json.Nodes;
using RLRegularity.Agents.Common;
using RLRegularity.Envs.Core;

namespace RLRegularity.Cli;

/// <summary><c>rlreg bench</c>: throughput measurements that users can reproduce with one command.</summary>
internal static class BenchCommand
{
    public static Command Build(CliContext context)
    {
        var bench = new Command("bench", "Measure throughput.");
        bench.Subcommands.Add(BuildEnv(context));
        bench.Subcommands.Add(BuildTrain(context));
        return bench;
    }

    private static Command BuildTrain(CliContext context)
    {
        var agent = new Option<string>("--agent") { Description = "dqn or ppo.", Required = true };
        CliParsing.OneOf(agent, [.. AgentFactory.Agents]);
        var env = EnvCommand.EnvOption(required: false);
        env.DefaultValueFactory = _ => "CartPole-v1";
        var preset = new Option<string>("--preset") { Description = "dqn: tuned (default), paper; ppo: classic (default), minigrid." };
        var norms = new Option<string>("--norms") { Description = "Comma-separated normalizers.", DefaultValueFactory = _ => "none,rn" };
        var seeds = new Option<long[]>("--seeds")
        {
            Description = "Seeds, as for compare: a count n (seeds 1..n) or a comma-separated list (e.g. 0,7,42; 42, is seed 42 alone). (default: 3, i.e. seeds 1..3)",
            CustomParser = CliParsing.Seeds, HelpName = "n|s1,s2,...", Arity = ArgumentArity.ExactlyOne,
        };
        var steps = new Option<long>("--steps") { Description = "Environment steps per run.", DefaultValueFactory = _ => 300_000, CustomParser = CliParsing.Long(1) };
        var set = new Option<string[]>("--set") { Description = "key=value overrides applied to every run." };
        var output = new Option<string>("--out") { Description = "Keep the run folders here (default: a temporary folder, deleted afterwards); must not exist." };
        var command = new Command("train",
            "Training throughput: runs each (normalizer, seed) one after another in this process, one thread, and prints per run " +
            "steps per second, the step and wall second at which the 20-episode mean reached the env's reward threshold, and the " +
            "process's peak resident memory, then the mean steps per second of each normalizer, as JSON lines.")
        {
            agent, env, preset, norms, seeds, steps, set, output,
        };
        command.SetAction(parse =>
        {
            string agentName = parse.GetValue(agent)!;
            string envId = parse.GetValue(env) ?? "CartPole-v1";
            string presetName = parse.GetValue(preset) ?? AgentFactory.Presets(agentName)[0];
            string[] normList = CliParsing.NormalizerNames("--norms", parse.GetValue(norms)!);
            long[] seedList = CliParsing.SeedsOrDefault(parse, seeds, [1, 2, 3]);
            string? keep = parse.GetValue(output);
            if (keep is not null && Directory.Exists(keep) && Directory.EnumerateFileSystemEntries(keep).Any())
                throw new CliUsageException($"--out: '{keep}' already exists and is not empty; nothing was overwritten");
            string root = keep ?? Directory.CreateTempSubdirectory("rlreg-bench-train").FullName;
            // Every config is resolved before the first run, so a bad --set fails at once rather than after an hour.
            var configs = normList.ToDictionary(n => n, n => AgentFactory.Resolve(agentName, presetName, null,
                [.. parse.GetValue(set) ?? [], $"normalizer=\"{n}\""]));
            try
            {
                foreach (string n in normList)
                {
                    var rates = new List<double>();
                    foreach (long s in seedList)
                    {
                        var settings = new RunSettings(agentName, envId, s, parse.GetValue(steps), presetName, 1, parse.GetValue(steps), 1);
                        string folder = Path.Combine(root, $"{n}-s{s}");
                        using (var run = TrainingRun.Create(folder, settings, (JsonObject)configs[n].DeepClone())) run.Run(CancellationToken.None);
                        JsonObject summary = JsonNode.Parse(File.ReadAllText(Path.Combine(folder, "summary.json")))!.AsObject();
                        double rate = summary["steps_per_second"]!.GetValue<double>();
                        rates.Add(rate);
                        JsonOutput.WriteLine(context.Output, w =>
                        {
                            w.WriteString("agent", agentName);
                            w.WriteString("env", envId);
                            w.WriteString("preset", presetName);
                            w.WriteString("norm", n);
                            w.WriteNumber("seed", s);
                            w.WriteNumber("steps", summary["steps"]!.GetValue<long>());
                            w.WriteNumber("steps_per_second", rate);
                            w.WriteNumber("wall_seconds", summary["wall_seconds"]!.GetValue<double>());
                            WriteOrNull(w, "solved_at_step", summary["solved_at_step"]);
                            WriteOrNull(w, "solved_at_seconds", summary["solved_at_seconds"]);
                            WriteOrNull(w, "final_mean_return_20", summary["final_mean_return_20"]);
                            w.WriteNumber("peak_rss_mb", Math.Round(Process.GetCurrentProcess().PeakWorkingSet64 / 1048576.0, 1));
                        });
                    }
                    JsonOutput.WriteLine(context.Output, w =>
                    {
                        w.WriteString("norm", n);
                        w.WriteNumber("runs", rates.Count);
                        w.WriteNumber("mean_steps_per_second", Math.Round(rates.Average(), 1));
                        w.WriteNumber("min_steps_per_second", Math.Round(rates.Min(), 1));
                    });
                }
            }
            finally
            {
                if (keep is null) Directory.Delete(root, recursive: true);
            }
            return 0;
        });
        return command;
    }

    private static void WriteOrNull(System.Text.Json.Utf8JsonWriter w, string name, JsonNode? value)
    {
        if (value is null) w.WriteNull(name);
        else w.WriteNumber(name, value.GetValue<double>());
    }

    private static Command BuildEnv(CliContext context)
    {
        var envOption = EnvCommand.EnvOption();
        var seconds = new Option<double>("--seconds") { Description = "How long to measure, after a short warm-up.", DefaultValueFactory = _ => 3.0, CustomParser = CliParsing.PositiveDouble() };
        var seed = new Option<long>("--seed") { Description = "Seed of the environment and of the random actions.", DefaultValueFactory = _ => 0, CustomParser = CliParsing.Long(0) };
        var command = new Command("env", "Raw single-thread steps per second of the registered environment (time limit included) under uniform random actions, as JSON.")
        {
            envOption, seconds, seed,
        };
        command.SetAction(parse =>
        {
            string id = parse.GetValue(envOption)!;
            using IEnv env = EnvRegistry.Make(id);
            long seedValue = parse.GetValue(seed);
            var actions = new Rng(seedValue, 1);
            env.Reset(seedValue);
            RunFor(env, actions, TimeSpan.FromSeconds(0.5));
            (long steps, double elapsed, long episodes) = RunFor(env, actions, TimeSpan.FromSeconds(parse.GetValue(seconds)));
            JsonOutput.WriteLine(context.Output, w =>
            {
                w.WriteString("env", id);
                w.WriteNumber("steps", steps);
                w.WriteNumber("episodes", episodes);
                w.WriteNumber("seconds", Math.Round(elapsed, 3));
                w.WriteNumber("steps_per_second", Math.Round(steps / elapsed));
            });
            return 0;
        });
        return command;
    }

    // Steps with random actions (resetting finished episodes) in chunks, checking the clock between chunks.
    private static (long Steps, double Seconds, long Episodes) RunFor(IEnv env, Rng actions, TimeSpan duration)
    {
        const int Chunk = 1 << 14;
        int n = env.ActionSpace.N;
        long steps = 0, episodes = 0;
        var clock = Stopwatch.StartNew();
        while (clock.Elapsed < duration)
        {
            for (int i = 0; i < Chunk; i++)
            {
                StepResult r = env.Step(actions.NextInt(n));
                if (r.Terminated || r.Truncated)
                {
                    env.Reset();
                    episodes++;
                }
            }
            steps += Chunk;
        }
        return (steps, clock.Elapsed.TotalSeconds, episodes);
    }
}
