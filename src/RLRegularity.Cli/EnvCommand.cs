using System.CommandLine;
using RLRegularity.Envs.Core;

namespace RLRegularity.Cli;

/// <summary><c>rlreg env</c>: list, replay and measure the registered environments.</summary>
internal static class EnvCommand
{
    public static Command Build(CliContext context)
    {
        var env = new Command("env", "Inspect the registered environments.");
        env.Subcommands.Add(BuildList(context));
        env.Subcommands.Add(BuildReplay(context));
        env.Subcommands.Add(BuildStats(context));
        MiniGridCommands.AddTo(env, context);
        return env;
    }

    /// <summary>
    /// The --env option shared by the verbs, checked against the registry. Ids match regardless of case
    /// (<c>cartpole-v1</c> is CartPole-v1, and the value is the registered spelling); an unknown id names the nearest
    /// registered one rather than listing them all.
    /// </summary>
    public static Option<string> EnvOption(bool required = true)
    {
        var option = new Option<string>("--env")
        {
            Description = "Environment id, e.g. CartPole-v1 (see 'rlreg env list'); case does not matter.",
            Required = required,
            HelpName = "id",
            CustomParser = result =>
            {
                string typed = result.Tokens.Count > 0 ? result.Tokens[^1].Value : "";
                if (ResolveId(typed) is { } id) return id;
                string? near = NearestName.Find(typed, EnvRegistry.Ids);
                result.AddError($"--env: unknown environment id '{typed}'{(near is null ? "" : $"; did you mean {near}?")} ('rlreg env list' shows all {EnvRegistry.Ids.Count} ids)");
                return null;
            },
        };
        // Shell completion offers the registered ids.
        option.CompletionSources.Add(_ => EnvRegistry.Ids.Select(id => new System.CommandLine.Completions.CompletionItem(id)));
        return option;
    }

    /// <summary>The registered id that <paramref name="typed"/> names, ignoring case; null if none does.</summary>
    public static string? ResolveId(string typed) =>
        EnvRegistry.Contains(typed) ? typed : EnvRegistry.Ids.FirstOrDefault(id => string.Equals(id, typed, StringComparison.OrdinalIgnoreCase));

    private static Command BuildList(CliContext context)
    {
        var json = new Option<bool>("--json") { Description = "Print one JSON object per environment instead of a table." };
        var command = new Command("list", "List the registered environment ids with their observation and action spaces.") { json };
        command.SetAction(parse =>
        {
            var rows = new List<(string Id, string Obs, string Act, string Limit, string Description)>();
            foreach (string id in EnvRegistry.Ids)
            {
                EnvSpec spec = EnvRegistry.Spec(id);
                using IEnv instance = EnvRegistry.Make(id);
                rows.Add((id, instance.ObservationSpace.ToString(), instance.ActionSpace.ToString(),
                          spec.MaxEpisodeSteps?.ToString() ?? "-", spec.Description));
            }
            if (parse.GetValue(json))
            {
                foreach (var row in rows)
                {
                    JsonOutput.WriteLine(context.Output, w =>
                    {
                        w.WriteString("id", row.Id);
                        w.WriteString("observation_space", row.Obs);
                        w.WriteString("action_space", row.Act);
                        if (row.Limit != "-") w.WriteNumber("max_episode_steps", int.Parse(row.Limit)); else w.WriteNull("max_episode_steps");
                        w.WriteString("description", row.Description);
                    });
                }
                return 0;
            }
            int idWidth = Math.Max(2, rows.Max(r => r.Id.Length));
            int obsWidth = Math.Max(17, rows.Max(r => r.Obs.Length));
            int actWidth = Math.Max(12, rows.Max(r => r.Act.Length));
            context.Output.WriteLine($"{"id".PadRight(idWidth)}  {"observation space".PadRight(obsWidth)}  {"action space".PadRight(actWidth)}  max steps");
            foreach (var row in rows)
                context.Output.WriteLine($"{row.Id.PadRight(idWidth)}  {row.Obs.PadRight(obsWidth)}  {row.Act.PadRight(actWidth)}  {row.Limit}");
            return 0;
        });
        return command;
    }

    private static Command BuildReplay(CliContext context)
    {
        var envOption = EnvOption();
        var state = new Option<string>("--state") { Description = "Physical state written after reset, comma-separated (CartPole: x,x_dot,theta,theta_dot; Acrobot: theta1,theta2,dtheta1,dtheta2).", Required = true };
        var actions = new Option<string>("--actions") { Description = "Actions to take, comma-separated.", Required = true };
        var seed = new Option<long>("--seed") { Description = "Seed of the reset that precedes the state write.", DefaultValueFactory = _ => 0, CustomParser = CliParsing.Long(0) };
        var command = new Command("replay", "Set the physical state after reset, step through the actions and print one JSON object per step; stops at the first terminated or truncated step.")
        {
            envOption, state, actions, seed,
        };
        command.SetAction(parse =>
        {
            string id = parse.GetValue(envOption)!;
            double[] stateValues = CliParsing.Doubles("--state", parse.GetValue(state)!);
            int[] actionValues = CliParsing.Ints("--actions", parse.GetValue(actions)!);
            using IEnv env = EnvRegistry.Make(id);
            if (env.Find<IPhysicalStateEnv>() is not { } physical)
                throw new CliUsageException($"{id} does not expose a physical state to replay from");
            if (stateValues.Length != physical.StateNames.Count)
                throw new CliUsageException($"--state: {id} has {physical.StateNames.Count} state values ({string.Join(", ", physical.StateNames)}), got {stateValues.Length}");
            for (int i = 0; i < actionValues.Length; i++)
            {
                if (!env.ActionSpace.Contains(actionValues[i]))
                    throw new CliUsageException($"--actions: action {i + 1} ({actionValues[i]}) is not in {env.ActionSpace}");
            }
            env.Reset(parse.GetValue(seed));
            physical.SetState(stateValues);
            foreach (int action in actionValues)
            {
                StepResult r = env.Step(action);
                JsonOutput.WriteLine(context.Output, w =>
                {
                    w.WriteStartArray("obs");
                    foreach (float v in r.Observation) w.WriteNumberValue(v);
                    w.WriteEndArray();
                    w.WriteNumber("reward", r.Reward);
                    w.WriteBoolean("terminated", r.Terminated);
                    w.WriteBoolean("truncated", r.Truncated);
                });
                if (r.Terminated || r.Truncated) break;
            }
            return 0;
        });
        return command;
    }

    private static Command BuildStats(CliContext context)
    {
        var envOption = EnvOption();
        var episodes = new Option<int>("--episodes") { Description = "Number of episodes.", DefaultValueFactory = _ => 1000, CustomParser = CliParsing.Int(1) };
        var policy = new Option<string>("--policy") { Description = "The policy to run: random (uniform over the actions).", DefaultValueFactory = _ => "random" };
        CliParsing.OneOf(policy, "random");
        var seed = new Option<long>("--seed") { Description = "Episode i is seeded seed + i.", DefaultValueFactory = _ => 0, CustomParser = CliParsing.Long(0) };
        var actionSeeding = new Option<string>("--action-seeding")
        {
            Description = "same: actions seeded with the episode's seed, as Gymnasium's env.reset(seed=s); env.action_space.seed(s) " +
                          "(correlates the first actions with the initial state, in Gymnasium too); independent: an unrelated stream.",
            DefaultValueFactory = _ => "same",
        };
        CliParsing.OneOf(actionSeeding, "same", "independent");
        var command = new Command("stats", "Run episodes of a policy and print the mean and std of return and length and the success rate as JSON.")
        {
            envOption, episodes, policy, seed, actionSeeding,
        };
        command.SetAction(parse =>
        {
            string id = parse.GetValue(envOption)!;
            using IEnv env = EnvRegistry.Make(id);
            var seeding = parse.GetValue(actionSeeding) == "independent" ? ActionSeeding.Independent : ActionSeeding.SameAsEnvironment;
            EpisodeBatchSummary s = RandomPolicyEvaluation.Run(env, parse.GetValue(episodes), parse.GetValue(seed), seeding);
            JsonOutput.WriteLine(context.Output, w =>
            {
                w.WriteString("env", id);
                w.WriteString("policy", parse.GetValue(policy));
                w.WriteNumber("seed", parse.GetValue(seed));
                w.WriteString("action_seeding", parse.GetValue(actionSeeding));
                w.WriteNumber("episodes", s.Episodes);
                w.WriteNumber("mean_return", s.MeanReturn);
                w.WriteNumber("std_return", s.StdReturn);
                w.WriteNumber("mean_length", s.MeanLength);
                w.WriteNumber("std_length", s.StdLength);
                w.WriteNumber("success_rate", s.SuccessRate);
            });
            return 0;
        });
        return command;
    }
}
