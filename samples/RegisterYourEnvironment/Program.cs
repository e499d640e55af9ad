// A new environment in plain C#, used as the built-in ones are: registered under an id with a time limit, made
// through the registry (as Gymnasium's gym.make), reset with a seed and stepped until terminated or truncated. The
// point of seeding: the same seed gives the same episode, step for step, so a result can be reproduced and a bug
// replayed. The environment (CorridorEnv.cs) needs only RLRegularity.Envs, which is pure C#; the last part trains PPO
// on it through RLRegularity.Agents, which brings TorchSharp.
using System.Text.Json.Nodes;
using RegisterYourEnvironment;
using RLRegularity.Agents.Common;
using RLRegularity.Envs.Core;

const string Id = "Corridor-v0";

// A library of environments would register from a [ModuleInitializer], as RLRegularity.Envs registers its own
// (BuiltInEnvironments), so its ids exist as soon as it loads; an application can simply register at start-up.
// The time limit belongs to the registration, not to the environment: Make wraps the environment in TimeLimit, which
// reports an episode cut at 40 steps as truncated (not terminated, so an agent may still bootstrap past it).
EnvRegistry.Register(new EnvSpec(Id, () => new CorridorEnv(length: 11, slipProbability: 0.1), MaxEpisodeSteps: 40,
                                 RewardThreshold: 0.9, Description: "a slippery 1-D corridor: +1 at the right end, -1 off the left end"));

using IEnv env = EnvRegistry.Make(Id);
Console.WriteLine($"{Id}: {env.GetType().Name} over {env.Unwrapped.GetType().Name}, observations {env.ObservationSpace}, actions {env.ActionSpace}, time limit {env.Spec?.MaxEpisodeSteps}");

// The same seed twice, then another seed: the first two episodes must match exactly.
Episode first = RandomEpisode(env, seed: 8), again = RandomEpisode(env, seed: 8), other = RandomEpisode(env, seed: 7);
Console.WriteLine($"seed 8: {first}");
Console.WriteLine($"seed 8: {again}");
Console.WriteLine($"seed 7: {other}");
if (first != again) return Fail("two episodes with seed 8 differ");
if (first == other) return Fail("seeds 8 and 7 gave the same episode; the seed does not reach the environment's randomness");

// Many seeded episodes: how the uniform random policy fares, and how often the time limit rather than the MDP ends them.
Episode[] episodes = [.. Enumerable.Range(0, 200).Select(seed => RandomEpisode(env, seed))];
int goals = episodes.Count(e => e.Return > 0), falls = episodes.Count(e => e.Return < 0), cut = episodes.Count(e => !e.Terminated);
Console.WriteLine($"200 random episodes (seeds 0-199): {goals} reached the goal, {falls} fell off, {cut} were cut by the time limit; mean length {episodes.Average(e => e.Length):F1}");
// An episode ends in the MDP (at an end of the corridor, return ±1) or is cut at exactly the limit with return 0.
// (One that reaches an end on the limit's very step is both terminated and truncated, as in Gymnasium.)
int limit = env.Spec!.MaxEpisodeSteps!.Value;
Episode? odd = episodes.FirstOrDefault(e => e.Terminated ? e.Return is not (1 or -1) || e.Length > limit : !e.Truncated || e.Return != 0 || e.Length != limit);
if (odd is not null) return Fail($"an episode ended inconsistently: {odd}");

// A registered id is all the agents need: PPO (preset classic) learns to walk right in a few seconds. The run folder
// goes to a temporary folder, deleted at the end; TrainPpoFromCSharp shows how to read a run's episodes back.
double randomMean = episodes.Average(e => e.Return);
string runs = Directory.CreateTempSubdirectory("rlreg-sample-corridor").FullName;
try
{
    const long Steps = 8_192; // 16 PPO updates of 4 copies × 128 steps
    var settings = new RunSettings(Agent: "ppo", Env: Id, Seed: 1, Steps: Steps, Preset: "classic", Threads: 1,
                                   CheckpointEvery: Steps, RegularityEvery: 8);
    string folder = Path.Combine(runs, "ppo-none-s1");
    using (TrainingRun run = TrainingRun.Create(folder, settings, AgentFactory.Resolve("ppo", "classic", file: null, overrides: [])))
        run.Run(CancellationToken.None);
    JsonObject summary = JsonNode.Parse(File.ReadAllText(Path.Combine(folder, RunFolder.SummaryFile)))!.AsObject();
    double trained = summary["final_mean_return_20"]?.GetValue<double>() ?? double.NaN;
    Console.WriteLine($"PPO on {Id}, {Steps} steps: mean return of the last 20 episodes {trained:F2} (random policy {randomMean:F2}), " +
                      $"{summary["episodes"]} episodes in {summary["wall_seconds"]} s");
    // The goal is worth +1 and the fall -1, so a policy that has learned anything is far above the random walk's ~0.
    return trained > randomMean + 0.3 ? 0 : Fail($"PPO did not learn the corridor: mean return {trained:F2} against the random policy's {randomMean:F2}");
}
finally
{
    Directory.Delete(runs, recursive: true);
}

// One episode of the uniform random policy. Its actions come from their own child stream of the seed (as rlreg env
// stats --action-seeding independent), so they are reproducible without sharing draws with the environment.
static Episode RandomEpisode(IEnv env, long seed)
{
    var actions = new Rng(seed, RngStreams.RandomActions);
    // The observation is a buffer the environment overwrites on every call: keep values, not the array.
    ResetResult reset = env.Reset(seed);
    var positions = new List<int> { (int)reset.Info.Values["position"] };
    double total = 0;
    while (true)
    {
        StepResult step = env.Step(env.ActionSpace.Sample(actions));
        positions.Add((int)step.Info.Values["position"]);
        total += step.Reward;
        if (step.Done) return new Episode(string.Join(' ', positions), total, positions.Count - 1, step.Terminated, step.Truncated);
    }
}

static int Fail(string message)
{
    Console.Error.WriteLine($"RegisterYourEnvironment: {message}");
    return 1;
}

/// <summary>One episode: the walker's positions from the reset on, its return and length, and how it ended.</summary>
internal sealed record Episode(string Positions, double Return, int Length, bool Terminated, bool Truncated)
{
    public override string ToString() =>
        $"return {Return:+0;-0;0}, {Length} step{(Length == 1 ? "" : "s")}, {(Terminated ? "terminated" : "truncated")}; positions {Positions}";
}
