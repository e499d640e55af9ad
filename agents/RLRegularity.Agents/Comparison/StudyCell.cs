using System.Text.Json.Nodes;
using RLRegularity.Agents.Common;

namespace RLRegularity.Agents.Comparison;

/// <summary>One cell of a study: its place in the manifest, its axis values, its run folder and the exact <c>rlreg train</c> arguments.</summary>
/// <param name="Index">Its line in cells.jsonl (the Slurm array index).</param>
/// <param name="Axes">Every axis value of the cell: agent, env, preset, config axes, norm, seed.</param>
/// <param name="Folder">The cell's run folder (absolute).</param>
/// <param name="Train">The arguments of <c>rlreg</c> that start the cell from nothing (<c>train --agent ... --out FOLDER</c>).</param>
public sealed record StudyCell(int Index, JsonObject Axes, string Folder, string[] Train)
{
    /// <summary>
    /// What to run for this cell now: null when it is finished; <c>train --resume FOLDER</c> when it has a run folder to
    /// continue; <see cref="Train"/> when it has none, or when its folder is unreadable (that folder is deleted first and
    /// <paramref name="log"/> says so).
    /// </summary>
    public string[]? NextArguments(TextWriter log)
    {
        (CellState state, string? reason) = ComparisonStudy.Inspect(Folder);
        switch (state)
        {
            case CellState.Finished:
                return null;
            case CellState.Corrupt:
                log.WriteLine($"re-running {Folder} from the start: {reason}");
                Directory.Delete(Folder, recursive: true);
                return Train;
            default:
                return File.Exists(Path.Combine(Folder, RunFolder.ConfigFile)) ? ["train", "--resume", Folder, "--threads", "1"] : Train;
        }
    }

    /// <summary>The cell as one line of cells.jsonl.</summary>
    public JsonObject ToJson() => new()
    {
        ["index"] = Index,
        ["axes"] = Axes.DeepClone(),
        ["folder"] = Folder,
        ["train"] = new JsonArray([.. Train.Select(a => JsonValue.Create(a))]),
    };

    /// <summary>A short name for messages: <c>#3 none seed 2</c> (plus the other axes of a larger study).</summary>
    public string Name => $"#{Index} " + string.Join(" ", Axes.Where(a => a.Key is not ("agent" or "env" or "preset"))
        .Select(a => a.Key switch { "norm" => a.Value!.GetValue<string>(), "seed" => $"seed {a.Value}", _ => $"{a.Key}={a.Value!.ToJsonString()}" }));
}
