using System.Text.Json.Nodes;

namespace RLRegularity.Agents.Comparison;

/// <summary>One submission of a study to Slurm, as recorded in slurm/submissions.jsonl: its arrays and its aggregation job.</summary>
/// <param name="Arrays">The job arrays: array job id, the manifest index of array index 0, and the cells it runs.</param>
/// <param name="AggregateJob">The job id of the aggregation job (it writes summary.json and summary.md).</param>
public sealed record SlurmSubmission(IReadOnlyList<SlurmArray> Arrays, string AggregateJob)
{
    /// <summary>The record file, relative to the study folder.</summary>
    public const string RecordFile = "slurm/submissions.jsonl";

    /// <summary>Every submission of a study folder, oldest first (none if it was never submitted).</summary>
    public static IReadOnlyList<SlurmSubmission> ReadAll(string studyFolder)
    {
        string path = Path.Combine(studyFolder, RecordFile);
        if (!File.Exists(path)) return [];
        var all = new List<SlurmSubmission>();
        foreach (string line in File.ReadLines(path).Where(l => l.Trim().Length > 0))
        {
            JsonObject o = JsonNode.Parse(line)!.AsObject();
            all.Add(new SlurmSubmission(
                [.. o["arrays"]!.AsArray().Select(a => new SlurmArray(a!["job"]!.GetValue<string>(), a["offset"]!.GetValue<int>(),
                    [.. a["cells"]!.AsArray().Select(c => c!.GetValue<int>())]))],
                o["aggregate_job"]!.GetValue<string>()));
        }
        return all;
    }

    /// <summary>Appends this submission to the study folder's record.</summary>
    public void Append(string studyFolder)
    {
        var o = new JsonObject
        {
            ["arrays"] = new JsonArray([.. Arrays.Select(a => new JsonObject
            {
                ["job"] = a.Job, ["offset"] = a.Offset, ["cells"] = new JsonArray([.. a.Cells.Select(c => JsonValue.Create(c))]),
            })]),
            ["aggregate_job"] = AggregateJob,
        };
        string path = Path.Combine(studyFolder, RecordFile);
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        File.AppendAllText(path, o.ToJsonString() + "\n");
    }

    /// <summary>The array job and task that ran (or runs) manifest cell <paramref name="index"/>, as Slurm writes it (<c>123_4</c>), or null.</summary>
    public string? TaskOf(int index) =>
        Arrays.FirstOrDefault(a => a.Cells.Contains(index)) is { } array ? $"{array.Job}_{index - array.Offset}" : null;
}
