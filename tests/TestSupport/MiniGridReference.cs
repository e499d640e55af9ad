using System.Text.Json;
using System.Text.Json.Nodes;

namespace RLRegularity.TestSupport;

/// <summary>One situation of tests/reference/minigrid-obs-sample.json, produced by Python Minigrid itself.</summary>
/// <param name="Index">Position in the file.</param>
/// <param name="SourceEnv">The id of the environment that produced it (for information).</param>
/// <param name="GridJson">The fixture's <c>grid</c> object, as JSON text.</param>
/// <param name="Image">The observation's image as stored, <c>image[y][x] = [object, colour, state]</c>.</param>
/// <param name="Direction">The observation's direction.</param>
/// <param name="Mission">The observation's mission.</param>
/// <param name="Steps">The outcome of each action 0-6 taken from the situation (empty when the fixture has none).</param>
public sealed record MiniGridFixture(int Index, string SourceEnv, string GridJson, int[][][] Image, int Direction, string Mission,
    IReadOnlyDictionary<int, MiniGridStepOutcome> Steps)
{
    public override string ToString() => $"fixture {Index} ({SourceEnv})";
}

/// <summary>What Minigrid returned for one action: reward, flags and the grid description afterwards (JSON text).</summary>
public sealed record MiniGridStepOutcome(double Reward, bool Terminated, bool Truncated, string AfterJson);

/// <summary>Reads the Minigrid reference fixtures.</summary>
public static class MiniGridReference
{
    /// <summary>Every fixture of minigrid-obs-sample.json, in file order.</summary>
    public static IReadOnlyList<MiniGridFixture> Load()
    {
        using var doc = JsonDocument.Parse(System.IO.File.ReadAllBytes(ReferenceData.File("minigrid-obs-sample.json")));
        var fixtures = new List<MiniGridFixture>();
        int index = 0;
        foreach (JsonElement f in doc.RootElement.GetProperty("fixtures").EnumerateArray())
        {
            JsonElement obs = f.GetProperty("obs");
            var steps = new Dictionary<int, MiniGridStepOutcome>();
            if (f.TryGetProperty("steps", out JsonElement s) && s.ValueKind == JsonValueKind.Object)
            {
                foreach (JsonProperty p in s.EnumerateObject())
                {
                    steps[int.Parse(p.Name, System.Globalization.CultureInfo.InvariantCulture)] = new MiniGridStepOutcome(
                        p.Value.GetProperty("reward").GetDouble(), p.Value.GetProperty("terminated").GetBoolean(),
                        p.Value.GetProperty("truncated").GetBoolean(), p.Value.GetProperty("after").GetRawText());
                }
            }
            fixtures.Add(new MiniGridFixture(index++, f.GetProperty("source").GetProperty("env").GetString()!,
                f.GetProperty("grid").GetRawText(), ToImage(obs.GetProperty("image")), obs.GetProperty("direction").GetInt32(),
                obs.GetProperty("mission").GetString()!, steps));
        }
        return fixtures;
    }

    /// <summary>Parses an <c>image[y][x][c]</c> JSON array.</summary>
    public static int[][][] ToImage(JsonElement image) =>
        [.. image.EnumerateArray().Select(row => row.EnumerateArray().Select(cell => cell.EnumerateArray().Select(v => v.GetInt32()).ToArray()).ToArray())];

    /// <summary>True if two JSON texts hold the same value (object key order ignored).</summary>
    public static bool SameJson(string a, string b) => JsonNode.DeepEquals(JsonNode.Parse(a), JsonNode.Parse(b));
}
