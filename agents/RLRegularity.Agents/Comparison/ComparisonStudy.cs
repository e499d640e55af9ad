using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.Json.Serialization;
using RLRegularity.Agents.Common;
using RLRegularity.Normalization;

namespace RLRegularity.Agents.Comparison;

/// <summary>The definition of a comparison: one agent on one environment, several normalizers × seeds, same budget.</summary>
/// <param name="Agent">dqn or ppo.</param>
/// <param name="Env">The environment id.</param>
/// <param name="Norms">The normalizers compared (the first is the baseline unless "none" is among them).</param>
/// <param name="Seeds">The seeds: 1..n, or any list of distinct non-negative seeds.</param>
/// <param name="Steps">Environment steps per run.</param>
/// <param name="Preset">The agent preset.</param>
/// <param name="Overrides">The --set overrides applied to every run.</param>
/// <param name="Episodes">An episode budget per run (then <paramref name="Steps"/> is only its cap, and the report reads
/// curves over episodes); null: the steps decide.</param>
/// <param name="EpsilonCarryover">The paper's protocol for DQN (SPEC 7 item 18): ε is not reset between the runs of a
/// normalizer, so only the first seed explores from ε-start and every later seed starts at ε-end.</param>
/// <param name="EvalEvery">Steps between greedy evaluations of every run (<c>train --eval-every</c>); null: none.</param>
/// <param name="EvalEpisodes">Episodes per evaluation (<c>train --eval-episodes</c>); null: train's default.</param>
public sealed record ComparisonStudy(string Agent, string Env, string[] Norms, long[] Seeds, long Steps, string Preset, string[] Overrides,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] long? Episodes = null,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingDefault)] bool EpsilonCarryover = false,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] long? EvalEvery = null,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] int? EvalEpisodes = null)
{
    private const string StudyFile = "study.json";

    /// <summary>The folder of one cell (normalizer, seed) inside the study folder.</summary>
    public static string CellFolder(string studyFolder, string norm, long seed) => Path.Combine(studyFolder, norm, $"s{seed}");

    /// <summary>
    /// The default study folder: deterministic in the command, so running it again resumes it. Seeds 1..n are named by
    /// their count; any other list by its seeds, so that <c>--seeds 0,7,42</c> and <c>--seeds 3</c> do not share a folder.
    /// </summary>
    public string DefaultFolder(string root)
    {
        bool oneToN = Seeds.Select((s, i) => s == i + 1).All(x => x);
        string seeds = oneToN ? $"{Seeds.Length}seeds" : $"seeds{string.Join('+', Seeds)}";
        string budget = Episodes is long n ? $"{n}episodes" : $"{Steps}steps";
        string protocol = EpsilonCarryover ? "-epsilon-carryover" : "";
        return Path.Combine(root, Env, $"compare-{Agent}-{Preset}-{string.Join('+', Norms)}-{seeds}-{budget}{protocol}");
    }

    /// <summary>The baseline normalizer that probabilities of improvement are measured against.</summary>
    public string Baseline => Norms.Contains(NoneName) ? NoneName : Norms[0];

    private static readonly string NoneName = Normalizers.Name(NormalizerKind.None);

    /// <summary>
    /// Writes study.json into a new or empty folder, or checks that an existing study folder holds this same study
    /// (then the study resumes). Anything else is refused before a file is written: a folder holding a different
    /// study (naming what differs), a training run or other files, a path that is a file, or one that cannot be written.
    /// </summary>
    public void WriteOrCheck(string folder) => WriteOrCheck(folder, JsonSerializer.SerializeToNode(this, ConfigBinding.JsonOptions)!.AsObject());

    /// <summary>
    /// <see cref="WriteOrCheck(string)"/> for any study.json document: writes it into a new or empty folder, or checks
    /// that the folder's study.json holds the same document, naming the keys that differ.
    /// </summary>
    public static void WriteOrCheck(string folder, JsonObject study)
    {
        string path = Path.Combine(folder, StudyFile);
        string json = study.ToJsonString(ConfigBinding.JsonOptions);
        if (File.Exists(path))
        {
            JsonObject existing;
            try
            {
                existing = JsonNode.Parse(File.ReadAllText(path))?.AsObject() ?? throw new InvalidDataException("it is empty");
            }
            catch (Exception e) when (e is JsonException or InvalidDataException or InvalidOperationException)
            {
                throw new ArgumentException($"--out: '{folder}' holds an unreadable study file ({path}: {e.Message}); choose another --out");
            }
            List<string> differences = RunConfigFile.Differences(existing, JsonNode.Parse(json)!.AsObject());
            if (differences.Count > 0)
                throw new ArgumentException($"--out: '{folder}' holds a different study ({string.Join("; ", differences)}); " +
                                            "choose another --out, or repeat the original command to resume that study");
            Logging.OutputLocation.EnsureFolderCanBeWritten(folder, "--out");
            return;
        }
        if (Directory.Exists(folder) && Directory.EnumerateFileSystemEntries(folder).Any())
        {
            string what = File.Exists(Path.Combine(folder, "config.json")) ? "a training run (it has config.json)" : "files that are not a comparison study";
            throw new ArgumentException($"--out: '{folder}' is not a comparison study folder: it holds {what}. " +
                                        "Choose a new or empty folder (or this study's own folder to resume it); nothing was written");
        }
        Logging.OutputLocation.EnsureFolderCanBeWritten(folder, "--out");
        Directory.CreateDirectory(folder);
        Logging.AtomicFile.WriteAllText(path, json);
    }

    /// <summary>Reads a study folder's definition.</summary>
    public static ComparisonStudy Read(string folder)
    {
        string path = Path.Combine(folder, StudyFile);
        if (!File.Exists(path)) throw new FileNotFoundException($"'{folder}' is not a comparison folder: it has no {StudyFile}", path);
        return JsonSerializer.Deserialize<ComparisonStudy>(File.ReadAllText(path), ConfigBinding.JsonOptions)
               ?? throw new InvalidDataException($"{path} is empty");
    }

    /// <summary>The state of a cell's folder: done, resumable, not started, or corrupt (with the reason).</summary>
    public static (CellState State, string? Reason) Inspect(string cellFolder)
    {
        if (!Directory.Exists(cellFolder) || !Directory.EnumerateFileSystemEntries(cellFolder).Any()) return (CellState.NotStarted, null);
        try
        {
            TrainingRun.ReadConfig(cellFolder);
            if (File.Exists(Path.Combine(cellFolder, "summary.json")))
            {
                RunData.Read(cellFolder);
                JsonNode.Parse(File.ReadAllText(Path.Combine(cellFolder, "summary.json")));
                return (CellState.Finished, null);
            }
            TrainingRun.LatestCheckpoint(cellFolder);
            return (CellState.Interrupted, null);
        }
        catch (Exception e) when (e is IOException or InvalidDataException or JsonException or ArgumentException or UnauthorizedAccessException)
        {
            return (CellState.Corrupt, e.Message);
        }
    }
}

/// <summary>Where a cell of a comparison stands.</summary>
public enum CellState
{
    /// <summary>No run folder yet.</summary>
    NotStarted,
    /// <summary>Started and stopped before the end: resume it from its checkpoint.</summary>
    Interrupted,
    /// <summary>Finished with a readable summary.</summary>
    Finished,
    /// <summary>Unreadable: it is run again from the start.</summary>
    Corrupt,
}
