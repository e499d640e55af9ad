using System.Text.Json;
using System.Text.Json.Nodes;
using RLRegularity.Records;
using RLRegularity.Statistics;

namespace RLRegularity.Agents.Common;

/// <summary>One run folder as <c>rlreg runs</c> lists it.</summary>
/// <param name="Folder">The run folder.</param>
/// <param name="Env">The environment id.</param>
/// <param name="Agent">dqn or ppo.</param>
/// <param name="Normalizer">The hidden-layer normalizer.</param>
/// <param name="Seed">The run's seed.</param>
/// <param name="StepsDone">Environment steps done: the summary's when finished, else the later of the last episode's end and the newest checkpoint.</param>
/// <param name="StepsPlanned">The steps the run plans in all.</param>
/// <param name="Status">Finished, running, interrupted or not started.</param>
/// <param name="FinalReturn">The mean return of the last 20 episodes so far (NaN before any).</param>
public sealed record RunInfo(string Folder, string Env, string Agent, string Normalizer, long Seed, long StepsDone, long StepsPlanned,
                             RunStatus Status, double FinalReturn)
{
    /// <summary>Every run folder under <paramref name="root"/> (the root itself included), sorted by path; folders whose
    /// config.json is not a run's are skipped, and unreadable ones are reported through <paramref name="problem"/>.</summary>
    public static List<RunInfo> FindAll(string root, Action<string>? problem = null)
    {
        var runs = new List<RunInfo>();
        foreach (string config in Directory.EnumerateFiles(root, RunFolder.ConfigFile, new EnumerationOptions { RecurseSubdirectories = true })
                     .Order(StringComparer.Ordinal))
        {
            string folder = Path.GetDirectoryName(config)!;
            try
            {
                if (Read(folder) is { } run) runs.Add(run);
            }
            catch (Exception e) when (e is IOException or InvalidDataException or UnauthorizedAccessException or FormatException or JsonException)
            {
                problem?.Invoke($"{folder}: {e.Message}");
            }
        }
        return runs;
    }

    /// <summary>The run in <paramref name="folder"/>, or null if its config.json is not a run's (e.g. a study's cell list).</summary>
    public static RunInfo? Read(string folder)
    {
        if (JsonNode.Parse(File.ReadAllText(Path.Combine(folder, RunFolder.ConfigFile))) is not JsonObject document
            || document["run"] is null || document["agent_config"] is not JsonObject agentConfig)
            return null;
        RunSettings settings = document["run"].Deserialize<RunSettings>(ConfigBinding.JsonOptions)
                               ?? throw new InvalidDataException($"{folder}/{RunFolder.ConfigFile} has an empty 'run' section");
        string episodesCsv = Path.Combine(folder, RunFolder.EpisodesFile);
        List<EpisodeRow> episodes = File.Exists(episodesCsv) ? CsvSchema<EpisodeRow>.ReadAll(episodesCsv) : [];
        double finalReturn = episodes.Count == 0 ? double.NaN : episodes.TakeLast(LearningCurveMetrics.RollingWindow).Average(e => e.Return);
        string summary = Path.Combine(folder, RunFolder.SummaryFile);
        long lastEpisode = episodes.Count == 0 ? 0 : episodes[^1].GlobalStep;
        long? checkpointStep = CheckpointStore.Newest(folder).Select(c => CheckpointStore.StepInName(Path.GetFileName(c))).FirstOrDefault(s => s is not null);
        RunStatus status;
        long done;
        if (File.Exists(summary))
        {
            status = RunStatus.Finished;
            done = JsonNode.Parse(File.ReadAllText(summary))?["steps"]?.GetValue<long>() ?? lastEpisode;
        }
        else
        {
            status = RunFolder.IsInUse(folder) ? RunStatus.Running : checkpointStep is null ? RunStatus.NotStarted : RunStatus.Interrupted;
            done = Math.Max(lastEpisode, checkpointStep ?? 0);
        }
        return new RunInfo(folder, settings.Env, settings.Agent, AgentFactory.NormalizerOf(agentConfig), settings.Seed, done, settings.Steps,
                           status, finalReturn);
    }
}
