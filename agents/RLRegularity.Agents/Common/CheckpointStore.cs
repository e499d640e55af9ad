using System.Globalization;
using System.Security.Cryptography;
using System.Text.Json;
using System.Text.Json.Nodes;
using RLRegularity.Logging;

namespace RLRegularity.Agents.Common;

/// <summary>
/// The checkpoints/ folder of a run: <c>final</c>, periodic <c>step-NNNNNNNNNN</c> folders (the newest two kept),
/// <c>final-N</c> (the final checkpoint of an N-step run that was later extended) and a <c>latest</c> pointer. Every
/// checkpoint is written through a temporary folder and a rename, and ends with a manifest of its files' sizes and
/// SHA-256 hashes, so a truncated or altered file is found before anything is loaded from it.
/// </summary>
public static class CheckpointStore
{
    /// <summary>The checkpoints folder inside a run folder.</summary>
    public const string FolderName = "checkpoints";

    /// <summary>The name of the checkpoint written when a run completes.</summary>
    public const string Final = "final";

    /// <summary>The file naming the newest checkpoint.</summary>
    public const string LatestPointer = "latest";

    /// <summary>The manifest written last into every checkpoint.</summary>
    public const string ManifestFile = "manifest.json";

    private const int PeriodicKept = 2;

    /// <summary>The name of the periodic checkpoint at <paramref name="step"/>.</summary>
    public static string Periodic(long step) => $"step-{step:D10}";

    /// <summary>Writes a checkpoint named <paramref name="name"/> (filled by <paramref name="fill"/>, then given its
    /// manifest), points <c>latest</c> at it and deletes periodic checkpoints beyond the newest two.</summary>
    public static void Write(string runFolder, string name, Action<string> fill)
    {
        string checkpoints = Path.Combine(runFolder, FolderName);
        AtomicFile.WriteDirectory(Path.Combine(checkpoints, name), dir =>
        {
            fill(dir);
            WriteManifest(dir);
        });
        AtomicFile.WriteAllText(Path.Combine(checkpoints, LatestPointer), name);
        foreach (string old in Directory.GetDirectories(checkpoints, "step-*").Order(StringComparer.Ordinal).SkipLast(PeriodicKept))
            Directory.Delete(old, recursive: true);
    }

    private static void WriteManifest(string dir)
    {
        var files = new JsonArray();
        foreach (string file in Directory.GetFiles(dir).Order(StringComparer.Ordinal))
        {
            files.Add(new JsonObject
            {
                ["name"] = Path.GetFileName(file),
                ["bytes"] = new FileInfo(file).Length,
                ["sha256"] = Sha256(file),
            });
        }
        File.WriteAllText(Path.Combine(dir, ManifestFile), new JsonObject { ["files"] = files }.ToJsonString(ConfigBinding.JsonOptions));
    }

    private static string Sha256(string file)
    {
        using FileStream stream = File.OpenRead(file);
        return Convert.ToHexStringLower(SHA256.HashData(stream));
    }

    /// <summary>
    /// What is wrong with the checkpoint folder <paramref name="dir"/>, or null if every file its manifest lists is
    /// there with the listed size and hash. Checkpoints written before manifests existed cannot be checked here (null);
    /// loading them still fails loudly if a file is damaged.
    /// </summary>
    public static string? Verify(string dir)
    {
        string manifestPath = Path.Combine(dir, ManifestFile);
        if (!File.Exists(manifestPath))
            return Directory.GetFiles(dir).Length == 0 ? "it is empty" : null;
        try
        {
            JsonArray files = JsonNode.Parse(File.ReadAllText(manifestPath))?["files"]?.AsArray()
                              ?? throw new InvalidDataException("no file list");
            foreach (JsonNode? entry in files)
            {
                string name = entry?["name"]?.GetValue<string>() ?? throw new InvalidDataException("an entry without a name");
                string path = Path.Combine(dir, name);
                if (!File.Exists(path)) return $"{name} is missing";
                long bytes = entry["bytes"]!.GetValue<long>();
                long actual = new FileInfo(path).Length;
                if (actual != bytes) return $"{name} has {actual} bytes, its manifest says {bytes}";
                if (Sha256(path) != entry["sha256"]!.GetValue<string>()) return $"{name} does not match its SHA-256 in the manifest";
            }
            return null;
        }
        catch (Exception e) when (e is JsonException or InvalidDataException or InvalidOperationException or FormatException or NullReferenceException)
        {
            return $"its {ManifestFile} is unreadable ({e.Message})";
        }
    }

    /// <summary>The run's checkpoint folders, newest first: <c>final</c>, then the others by the step in their name.</summary>
    public static IReadOnlyList<string> Newest(string runFolder)
    {
        string checkpoints = Path.Combine(runFolder, FolderName);
        if (!Directory.Exists(checkpoints)) return [];
        return Directory.GetDirectories(checkpoints)
            .Select(path => (Path: path, Step: StepOf(Path.GetFileName(path))))
            .Where(c => c.Step is not null)
            .OrderByDescending(c => c.Step)
            .Select(c => c.Path)
            .ToList();
    }

    // The order key of a checkpoint name: final sorts last of all; step-N and final-N by N; anything else is not a checkpoint.
    private static long? StepOf(string name) => name == Final ? long.MaxValue : StepInName(name);

    /// <summary>The step a checkpoint's name states (step-N, or final-N of an extended run), or null (final, or not a checkpoint).</summary>
    public static long? StepInName(string name)
    {
        foreach (string prefix in new[] { "step-", Final + "-" })
        {
            if (name.StartsWith(prefix, StringComparison.Ordinal)
                && long.TryParse(name.AsSpan(prefix.Length), NumberStyles.None, CultureInfo.InvariantCulture, out long step))
                return step;
        }
        return null;
    }

    /// <summary>The names of the run's checkpoints, newest first (for messages).</summary>
    public static string Names(string runFolder) =>
        Newest(runFolder) is { Count: > 0 } all ? string.Join(", ", all.Select(Path.GetFileName)) : "none";

    /// <summary>Moves a damaged checkpoint aside (to <c>corrupt-NAME-TIMESTAMP</c>), so its name can be written again
    /// and nothing is deleted; returns the new path.</summary>
    public static string Quarantine(string checkpoint)
    {
        string target = Path.Combine(Path.GetDirectoryName(checkpoint)!,
            $"corrupt-{Path.GetFileName(checkpoint)}-{DateTime.UtcNow:yyyyMMddHHmmssfff}");
        Directory.Move(checkpoint, target);
        return target;
    }
}
