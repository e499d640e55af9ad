using System.Text.Json;

namespace RLRegularity.TestSupport;

/// <summary>One trajectory of tests/reference/classic-sample.json, produced by Gymnasium itself.</summary>
public sealed record ClassicCase(int Index, string Env, double[] State, int[] Actions, ClassicStep[] Steps)
{
    public override string ToString() => $"case {Index} ({Env}, {Steps.Length} steps)";
}

/// <summary>One step of a reference trajectory.</summary>
public sealed record ClassicStep(double[] Obs, double Reward, bool Terminated, bool Truncated);

/// <summary>Reads the Gymnasium reference trajectories.</summary>
public static class ClassicReference
{
    /// <summary>Every case of classic-sample.json, in file order.</summary>
    public static IReadOnlyList<ClassicCase> Load()
    {
        using var doc = JsonDocument.Parse(System.IO.File.ReadAllBytes(ReferenceData.File("classic-sample.json")));
        var cases = new List<ClassicCase>();
        int index = 0;
        foreach (JsonElement c in doc.RootElement.GetProperty("cases").EnumerateArray())
        {
            var steps = c.GetProperty("steps").EnumerateArray().Select(s => new ClassicStep(
                s.GetProperty("obs").EnumerateArray().Select(v => v.GetDouble()).ToArray(),
                s.GetProperty("reward").GetDouble(),
                s.GetProperty("terminated").GetBoolean(),
                s.GetProperty("truncated").GetBoolean())).ToArray();
            cases.Add(new ClassicCase(index++, c.GetProperty("env").GetString()!,
                c.GetProperty("state").EnumerateArray().Select(v => v.GetDouble()).ToArray(),
                c.GetProperty("actions").EnumerateArray().Select(v => v.GetInt32()).ToArray(), steps));
        }
        return cases;
    }
}
