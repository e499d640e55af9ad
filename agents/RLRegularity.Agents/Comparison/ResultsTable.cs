using System.Text.Json;
using System.Text.Json.Nodes;
using RLRegularity.Agents.Common;
using RLRegularity.Records;

namespace RLRegularity.Agents.Comparison;

/// <summary>
/// Every run under a folder (a run, a study, or a tree of either) as one tidy table, one row per run × episode: the run
/// (its path below the folder), agent, env, preset, normalizer, seed and planned steps, every agent config key whose
/// value differs between the runs (the study's other axes), and the episode's columns of episodes.csv.
/// </summary>
public static class ResultsTable
{
    /// <summary>Builds the table; a folder without runs is an <see cref="InvalidDataException"/>.</summary>
    public static TidyTable Build(string root, Action<string>? problem = null)
    {
        List<RunInfo> runs = RunInfo.FindAll(root, problem);
        if (runs.Count == 0) throw new InvalidDataException($"'{root}' holds no run folder (a folder with a run's config.json)");
        var configs = runs.Select(r => Flatten(RunFolder.ReadConfig(r.Folder).AgentConfig)).ToList();
        var settings = runs.Select(r => RunFolder.ReadConfig(r.Folder).Settings).ToList();
        // The axes beyond the fixed columns: config keys whose values are not the same in every run.
        string[] axes = [.. configs.SelectMany(c => c.Keys).Distinct().Order(StringComparer.Ordinal)
            .Where(key => key != "normalizer" && configs.Select(c => c.GetValueOrDefault(key)?.ToJsonString()).Distinct().Count() > 1)];
        var numeric = axes.ToDictionary(a => a, a => configs.All(c => c.GetValueOrDefault(a) is JsonValue v && v.GetValueKind() == JsonValueKind.Number));

        var table = new TidyTable()
            .Column("run", typeof(string)).Column("agent", typeof(string)).Column("env", typeof(string)).Column("preset", typeof(string))
            .Column("norm", typeof(string)).Column("seed", typeof(long)).Column("planned_steps", typeof(long));
        foreach (string axis in axes) table.Column(axis, numeric[axis] ? typeof(double) : typeof(string));
        table.Column("global_step", typeof(long)).Column("episode", typeof(long)).Column("return", typeof(double)).Column("length", typeof(long))
             .Column("wall_seconds", typeof(double)).Column("schedule_value", typeof(double));
        for (int r = 0; r < runs.Count; r++)
        {
            string episodes = Path.Combine(runs[r].Folder, RunFolder.EpisodesFile);
            if (!File.Exists(episodes)) continue;
            object?[] fixedCells =
            [
                Path.GetRelativePath(root, runs[r].Folder), runs[r].Agent, runs[r].Env, settings[r].Preset, runs[r].Normalizer, runs[r].Seed, settings[r].Steps,
                .. axes.Select(a => configs[r].GetValueOrDefault(a) is { } v ? (numeric[a] ? v.GetValue<double>() : (object)Text(v)) : null),
            ];
            foreach (EpisodeRow e in CsvSchema<EpisodeRow>.ReadAll(episodes))
                table.Add([.. fixedCells, e.GlobalStep, e.Episode, e.Return, (long)e.Length, e.WallSeconds, e.ScheduleValue]);
        }
        return table;
    }

    // Strings as themselves, anything else as its JSON text.
    private static string Text(JsonNode value) => value is JsonValue v && v.GetValueKind() == JsonValueKind.String ? v.GetValue<string>() : value.ToJsonString();

    // Nested config keys as dotted paths (normalizer_options.complexity_decay).
    private static Dictionary<string, JsonNode?> Flatten(JsonObject config, string prefix = "")
    {
        var flat = new Dictionary<string, JsonNode?>();
        foreach (var (key, value) in config)
        {
            if (value is JsonObject child) foreach (var (k, v) in Flatten(child, prefix + key + ".")) flat[k] = v;
            else flat[prefix + key] = value;
        }
        return flat;
    }
}
