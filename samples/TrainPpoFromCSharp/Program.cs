// PPO (preset `classic`, with Regularity Normalization) on CartPole-v1 from C#: the same run as
// `rlreg train --agent ppo --env CartPole-v1 --preset classic --norm rn --seed 1 --steps 16384`, made through the
// library's public API, then read back the way a user reads any run folder: episodes.csv through its typed schema and
// summary.json as plain JSON. The run goes to a temporary folder that is deleted at the end; pass --keep to keep it.
using System.Text.Json.Nodes;
using RLRegularity.Agents.Common;
using RLRegularity.Records;

const string Env = "CartPole-v1";
const long Steps = 16_384; // 32 PPO updates of 4 copies × 128 steps: a few seconds on one core
bool keep = args.Contains("--keep");

string root = Directory.CreateTempSubdirectory("rlreg-sample-ppo").FullName;
string folder = Path.Combine(root, "ppo-rn-s1");
try
{
    // The run-level settings (what rlreg's options set) and the agent's config (preset + --set overrides) are separate:
    // the config is resolved and validated here, so a misspelt key fails before anything is written.
    var settings = new RunSettings(Agent: "ppo", Env: Env, Seed: 1, Steps: Steps, Preset: "classic", Threads: 1,
                                   CheckpointEvery: Steps, RegularityEvery: 8);
    JsonObject config = AgentFactory.Resolve("ppo", "classic", file: null, overrides: ["normalizer=rn"]);

    // Disposing the run releases its folder's lock and the learner's native tensors; the files stay.
    using (TrainingRun run = TrainingRun.Create(folder, settings, config, commandLine: ["TrainPpoFromCSharp", .. args]))
    {
        RunOutcome outcome = run.Run(CancellationToken.None);
        if (outcome != RunOutcome.Completed) return Fail($"the run ended as {outcome}, not Completed");
    }

    // episodes.csv: one typed row per finished episode, read with the schema its writer used.
    List<EpisodeRow> episodes = CsvSchema<EpisodeRow>.ReadAll(Path.Combine(folder, RunFolder.EpisodesFile));
    if (episodes.Count < 40) return Fail($"expected dozens of episodes in {Steps} steps, found {episodes.Count} in {RunFolder.EpisodesFile}");

    // summary.json is written when a run completes (runs/README.md in the repository describes every file of a run folder).
    string summaryPath = Path.Combine(folder, RunFolder.SummaryFile);
    if (!File.Exists(summaryPath)) return Fail($"{RunFolder.SummaryFile} is missing although the run completed");
    JsonObject summary = JsonNode.Parse(File.ReadAllText(summaryPath))!.AsObject();
    long summaryEpisodes = summary["episodes"]!.GetValue<long>();
    if (summaryEpisodes != episodes.Count) return Fail($"{RunFolder.SummaryFile} counts {summaryEpisodes} episodes, {RunFolder.EpisodesFile} holds {episodes.Count}");

    double first20 = episodes.Take(20).Average(e => e.Return);
    double last20 = episodes.TakeLast(20).Average(e => e.Return);
    Console.WriteLine($"PPO (classic, rn) on {Env}: {summary["steps"]} steps, {episodes.Count} episodes in {summary["wall_seconds"]} s ({summary["steps_per_second"]} steps/s)");
    Console.WriteLine($"mean return of the first 20 episodes {first20:F1}, of the last 20 {last20:F1} (summary.json final_mean_return_20 = {summary["final_mean_return_20"]})");
    Console.WriteLine($"run folder: {folder}{(keep ? " (kept)" : " (deleted at exit; pass --keep to keep it)")}");
    // A random policy averages about 22 on CartPole: a run that has learned anything ends well above where it began.
    return last20 > first20 ? 0 : Fail($"the last 20 episodes' mean return ({last20:F1}) is not above the first 20's ({first20:F1}): PPO did not learn");
}
finally
{
    if (!keep) Directory.Delete(root, recursive: true);
}

static int Fail(string message)
{
    Console.Error.WriteLine($"TrainPpoFromCSharp: {message}");
    return 1;
}
