using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using RLRegularity.Agents.Common;

namespace RLRegularity.Agents.Comparison;

/// <summary>
/// A study folder's cells.jsonl: one JSON object per cell (index, axes, folder, train arguments), in the order of
/// <see cref="StudyDefinition.Cells"/>. It is written again on every <c>rlreg compare</c> of the folder (it is a pure
/// function of the study and the folder's absolute path), and read by the executors and by array tasks.
/// </summary>
/// <param name="Folder">The study folder (absolute).</param>
/// <param name="Study">The study.</param>
/// <param name="Cells">Its cells.</param>
public sealed record StudyManifest(string Folder, StudyDefinition Study, IReadOnlyList<StudyCell> Cells)
{
    /// <summary>The manifest's file name inside the study folder.</summary>
    public const string ManifestFile = "cells.jsonl";

    /// <summary>Expands <paramref name="study"/> for <paramref name="folder"/> and writes cells.jsonl (the folder must hold the study already).</summary>
    public static StudyManifest Write(string folder, StudyDefinition study)
    {
        string root = Path.GetFullPath(folder);
        var manifest = new StudyManifest(root, study, study.Cells(root));
        var text = new StringBuilder();
        foreach (StudyCell cell in manifest.Cells) text.Append(cell.ToJson().ToJsonString()).Append('\n');
        Logging.AtomicFile.WriteAllText(Path.Combine(root, ManifestFile), text.ToString());
        return manifest;
    }

    /// <summary>Reads a study folder's study.json and cells.jsonl; a missing or malformed file is an error naming it.</summary>
    public static StudyManifest Read(string folder)
    {
        string root = Path.GetFullPath(folder);
        StudyDefinition study = StudyDefinition.Read(root);
        string path = Path.Combine(root, ManifestFile);
        if (!File.Exists(path)) throw new FileNotFoundException($"'{folder}' has no {ManifestFile}; run rlreg compare on it once to write it", path);
        var cells = new List<StudyCell>();
        int line = 0;
        foreach (string text in File.ReadLines(path))
        {
            line++;
            try
            {
                JsonObject o = JsonNode.Parse(text)!.AsObject();
                cells.Add(new StudyCell(o["index"]!.GetValue<int>(), o["axes"]!.AsObject().DeepClone().AsObject(), o["folder"]!.GetValue<string>(),
                    [.. o["train"]!.AsArray().Select(a => a!.GetValue<string>())]));
            }
            catch (Exception e) when (e is JsonException or InvalidOperationException or NullReferenceException or FormatException)
            {
                throw new InvalidDataException($"{path} line {line} is malformed: {e.Message}", e);
            }
            if (cells[^1].Index != cells.Count - 1) throw new InvalidDataException($"{path} line {line} has index {cells[^1].Index}, expected {cells.Count - 1}");
        }
        return new StudyManifest(root, study, cells);
    }

    /// <summary>The cell at <paramref name="index"/>, or an <see cref="ArgumentException"/> naming the valid range.</summary>
    public StudyCell Cell(int index) => index >= 0 && index < Cells.Count ? Cells[index]
        : throw new ArgumentException($"--index {index} is not a cell of '{Folder}': it has cells 0..{Cells.Count - 1}");

    /// <summary>The study's reports, one per group, with the problems of unreadable or unfinished cells.</summary>
    public IReadOnlyList<(StudyGroup Group, ComparisonReport Report)> Reports() => ReportsOf(Folder, Study);

    /// <summary>The reports of <paramref name="study"/>'s groups in <paramref name="folder"/>, read without the manifest
    /// (what a figure needs; it writes nothing).</summary>
    public static IReadOnlyList<(StudyGroup Group, ComparisonReport Report)> ReportsOf(string folder, StudyDefinition study) =>
        [.. study.Groups().Select(g => (g, ComparisonReport.Build(Path.Combine(folder, g.Folder), g.Comparison, folder)))];

    /// <summary>
    /// Writes summary.json and summary.md. A single-group study writes its report as the flag form always has; a larger
    /// one writes <c>{"groups": [{"axes": {...}, ...report}]}</c> and one Markdown section per group. Nothing in them
    /// depends on the machine, the time or the study folder's place, so every executor writes the same bytes.
    /// </summary>
    public IReadOnlyList<(StudyGroup Group, ComparisonReport Report)> WriteSummary()
    {
        var reports = Reports();
        string json, md;
        if (Study.IsSingleGroup)
        {
            json = reports[0].Report.ToJson().ToJsonString(ConfigBinding.JsonOptions);
            md = reports[0].Report.ToMarkdown();
        }
        else
        {
            var groups = new JsonArray();
            var text = new StringBuilder();
            text.AppendLine($"# Study: {Cells.Count} cells in {reports.Count} groups").AppendLine();
            foreach ((StudyGroup group, ComparisonReport report) in reports)
            {
                JsonObject entry = new() { ["axes"] = new JsonObject([.. group.Axes.Select(a => new KeyValuePair<string, JsonNode?>(a.Key, AxisValue(a.Key, a.Value)))]) };
                foreach ((string key, JsonNode? value) in report.ToJson()) entry[key] = value?.DeepClone();
                groups.Add(entry);
                text.AppendLine($"## {group.Title}").AppendLine();
                text.AppendLine(report.ToMarkdown().Replace("\n# ", "\n### ").TrimStart('#', ' ').Insert(0, "### ")).AppendLine();
            }
            var document = new JsonObject { ["groups"] = groups };
            // Several tasks of one comparison: rliable's aggregates across them, per setting of the other axes.
            var across = CrossTaskReport.BuildPerSetting(reports);
            if (across.Count > 0)
            {
                var entries = new JsonArray();
                foreach ((IReadOnlyList<KeyValuePair<string, string>> fixedAxes, CrossTaskReport report) in across)
                {
                    JsonObject entry = report.ToJson();
                    entry.Insert(0, "axes", new JsonObject([.. fixedAxes.Select(a => new KeyValuePair<string, JsonNode?>(a.Key, AxisValue(a.Key, a.Value)))]));
                    entries.Add(entry);
                    text.AppendLine(report.ToMarkdown(fixedAxes));
                }
                document["across_tasks"] = entries;
            }
            json = document.ToJsonString(ConfigBinding.JsonOptions);
            md = text.ToString();
        }
        Logging.AtomicFile.WriteAllText(Path.Combine(Folder, "summary.json"), json);
        Logging.AtomicFile.WriteAllText(Path.Combine(Folder, "summary.md"), md);
        return reports;
    }

    // Agent, env and preset names are plain strings; config-axis values are JSON text already.
    private static JsonNode? AxisValue(string axis, string value) =>
        axis is "agent" or "env" or "preset" ? JsonValue.Create(value) : JsonNode.Parse(value);
}
