using System.Text.Json;
using System.Text.Json.Nodes;

namespace RLRegularity.Agents.Common;

/// <summary>
/// A <c>--config</c> file: either agent config keys (<c>{"learning_rate": 0.001}</c>), or a run's own config.json,
/// whose <c>agent_config</c> is the config and whose <c>run</c> section supplies the run settings a new run takes
/// unless the command line gives them. Feeding a run's config.json back therefore repeats that run.
/// </summary>
/// <param name="AgentConfig">The agent config keys.</param>
/// <param name="Run">The run settings of a run's config.json, or null for a plain file of agent keys.</param>
public sealed record RunConfigFile(JsonObject AgentConfig, RunSettings? Run)
{
    /// <summary>Reads <paramref name="path"/>; a missing, empty or malformed file is an error naming it.</summary>
    public static RunConfigFile Read(string path)
    {
        if (!File.Exists(path)) throw new FileNotFoundException($"the config file '{path}' does not exist", path);
        JsonObject root;
        try
        {
            root = JsonNode.Parse(File.ReadAllText(path)) as JsonObject
                   ?? throw new InvalidDataException($"the config file '{path}' does not hold a JSON object");
        }
        catch (JsonException e)
        {
            throw new InvalidDataException($"the config file '{path}' is not valid JSON: {e.Message}", e);
        }
        if (root["agent_config"] is not JsonObject agentConfig) return new RunConfigFile(root, null);
        RunSettings? run;
        try
        {
            run = root["run"]?.Deserialize<RunSettings>(ConfigBinding.JsonOptions);
        }
        catch (JsonException e)
        {
            throw new InvalidDataException($"the 'run' section of '{path}' is malformed: {e.Message}", e);
        }
        return new RunConfigFile(agentConfig.DeepClone().AsObject(), run);
    }

    /// <summary>
    /// The keys whose values differ between two configs, as <c>key: now (was before)</c>, with dotted paths for nested
    /// keys; a key present on one side only counts as differing. Empty when they agree.
    /// </summary>
    public static List<string> Differences(JsonObject before, JsonObject now, string prefix = "")
    {
        var differences = new List<string>();
        foreach (string key in before.Select(p => p.Key).Union(now.Select(p => p.Key)))
        {
            JsonNode? a = before[key], b = now[key];
            if (a is JsonObject childA && b is JsonObject childB)
                differences.AddRange(Differences(childA, childB, prefix + key + "."));
            else if (!JsonNode.DeepEquals(a, b))
                differences.Add($"{prefix}{key}: {Show(b)} (was {Show(a)})");
        }
        return differences;
    }

    private static string Show(JsonNode? value) => value?.ToJsonString() ?? "absent";
}
