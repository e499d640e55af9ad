using System.CommandLine;
using System.Diagnostics;
using RLRegularity.Envs.Core;

namespace RLRegularity.Cli;

/// <summary><c>rlreg bench</c>: throughput measurements that users can reproduce with one command.</summary>
internal static class BenchCommand
{
    public static Command Build(CliContext context)
    {
        var bench = new Command("bench", "Measure throughput.");
        bench.Subcommands.Add(BuildEnv(context));
        return bench;
    }

    private static Command BuildEnv(CliContext context)
    {
        var envOption = EnvCommand.EnvOption();
        var seconds = new Option<double>("--seconds") { Description = "How long to measure, after a short warm-up.", DefaultValueFactory = _ => 3.0 };
        seconds.Validators.Add(r => { if (!(r.GetValueOrDefault<double>() > 0)) r.AddError("--seconds must be positive"); });
        var seed = new Option<long>("--seed") { Description = "Seed of the environment and of the random actions.", DefaultValueFactory = _ => 0 };
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
