using System.Runtime.InteropServices;
using System.Text.Json;
using System.Text.Json.Nodes;
using RLRegularity.Envs.Core;
using RLRegularity.Logging;

namespace RLRegularity.Agents.Common;

/// <summary>
/// A run folder's layout (runs/README.md), its config.json, and the lock that keeps two processes from writing it.
/// Disposing releases the lock.
/// </summary>
public sealed class RunFolder : IDisposable
{
    /// <summary>The resolved configuration and provenance.</summary>
    public const string ConfigFile = "config.json";

    /// <summary>Written when the run completes.</summary>
    public const string SummaryFile = "summary.json";

    /// <summary>One row per finished episode.</summary>
    public const string EpisodesFile = "episodes.csv";

    /// <summary>One row per learning update.</summary>
    public const string UpdatesFile = "updates.csv";

    /// <summary>The evaluations during training (with --eval-every).</summary>
    public const string EvalsFile = "evals.csv";

    /// <summary>The probe rows of the RN-family layers.</summary>
    public const string RegularityFile = "regularity.csv";

    /// <summary>The plasticity diagnostics of the policy networks' hidden layers (when the agent config's diagnostics_every is on).</summary>
    public const string DiagnosticsFile = "diagnostics.csv";

    /// <summary>The lock file that keeps two processes from writing one run folder.</summary>
    public const string LockFile = ".lock";

    private const string ExtensionsKey = "extensions";

    // errno EWOULDBLOCK: what .NET reports when another process holds the folder's flock.
    private const int LockHeldElsewhere = 11;

    private readonly FileStream _lock;

    private RunFolder(string path, FileStream runLock) => (Path, _lock) = (path, runLock);

    /// <summary>The folder.</summary>
    public string Path { get; }

    /// <summary>The path of <paramref name="file"/> inside the folder.</summary>
    public string File(string file) => System.IO.Path.Combine(Path, file);

    /// <summary>
    /// Makes a new run folder (it must not exist, or be empty: nothing is overwritten), locks it and writes config.json
    /// with <paramref name="commandLine"/> (the program name and its arguments). A path that is a file or cannot be
    /// written is refused before anything is created.
    /// </summary>
    public static RunFolder Create(string folder, RunSettings settings, JsonObject agentConfig, IReadOnlyList<string>? commandLine)
    {
        if (Directory.Exists(folder) && Directory.EnumerateFileSystemEntries(folder).Any())
            throw new ArgumentException($"the run folder '{folder}' already exists and is not empty; resume it with --resume {folder} or choose another --out");
        OutputLocation.EnsureFolderCanBeWritten(folder, "--out");
        Directory.CreateDirectory(folder);
        var created = new RunFolder(folder, Lock(folder));
        AtomicFile.WriteAllText(created.File(ConfigFile), Describe(settings, agentConfig, commandLine).ToJsonString(ConfigBinding.JsonOptions));
        return created;
    }

    /// <summary>Locks an existing run folder.</summary>
    public static RunFolder Open(string folder) =>
        Directory.Exists(folder) ? new RunFolder(folder, Lock(folder)) : throw new DirectoryNotFoundException($"the run folder '{folder}' does not exist");

    // An exclusive lock on folder/.lock, held while the run is open (advisory flock on Unix, honoured by every rlreg).
    private static FileStream Lock(string folder)
    {
        try
        {
            return new FileStream(System.IO.Path.Combine(folder, LockFile), FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None);
        }
        catch (IOException e) when (e.HResult == LockHeldElsewhere)
        {
            throw new IOException($"the run folder '{folder}' is in use by another process", e);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            OutputLocation.EnsureFolderCanBeWritten(folder, "the run folder");
            throw new IOException($"cannot open the lock file of the run folder '{folder}': {e.Message}", e);
        }
    }

    /// <summary>True if another process holds the run folder's lock right now.</summary>
    public static bool IsInUse(string folder)
    {
        string path = System.IO.Path.Combine(folder, LockFile);
        if (!System.IO.File.Exists(path)) return false;
        try
        {
            using var probe = new FileStream(path, FileMode.Open, FileAccess.ReadWrite, FileShare.None);
            return false;
        }
        catch (IOException)
        {
            return true;
        }
    }

    /// <summary>The byte length of a CSV's header line (null if the file does not exist): where a run that starts over cuts it.</summary>
    public long? HeaderLength(string file)
    {
        string path = File(file);
        if (!System.IO.File.Exists(path)) return null;
        string? header = System.IO.File.ReadLines(path).FirstOrDefault();
        return header is null ? 0 : header.Length + 1;
    }

    /// <summary>config.json's run settings, agent config and whole document; a missing or malformed file is an error naming the folder.</summary>
    public static (RunSettings Settings, JsonObject AgentConfig, JsonObject Document) ReadConfig(string folder)
    {
        string path = System.IO.Path.Combine(folder, ConfigFile);
        if (!System.IO.File.Exists(path)) throw new FileNotFoundException($"'{folder}' is not a run folder: it has no {ConfigFile}", path);
        try
        {
            JsonObject root = JsonNode.Parse(System.IO.File.ReadAllText(path))!.AsObject();
            RunSettings settings = root["run"].Deserialize<RunSettings>(ConfigBinding.JsonOptions)
                                   ?? throw new InvalidDataException("no 'run' section");
            JsonObject agentConfig = root["agent_config"]?.AsObject().DeepClone().AsObject() ?? throw new InvalidDataException("no 'agent_config' section");
            return (settings, agentConfig, root);
        }
        catch (Exception e) when (e is JsonException or InvalidOperationException or InvalidDataException)
        {
            throw new InvalidDataException($"{path} is malformed: {e.Message}", e);
        }
    }

    /// <summary>The planned totals this run had before extensions (each extension's <c>from_steps</c>).</summary>
    public static IReadOnlySet<long> ExtendedFrom(JsonObject document) =>
        document[ExtensionsKey] is JsonArray extensions
            ? extensions.Select(e => e?["from_steps"]?.GetValue<long>()).OfType<long>().ToHashSet()
            : new HashSet<long>();

    /// <summary>Records an extension in config.json: the new total, and from where, when and by which command it was extended.</summary>
    public void RecordExtension(JsonObject document, long from, long to, long atStep, IReadOnlyList<string>? commandLine)
    {
        document["run"]!["steps"] = to;
        if (document[ExtensionsKey] is not JsonArray extensions) document[ExtensionsKey] = extensions = [];
        extensions.Add(new JsonObject
        {
            ["from_steps"] = from,
            ["to_steps"] = to,
            ["at_step"] = atStep,
            ["utc"] = DateTime.UtcNow.ToString("O"),
            ["git_commit"] = BuildProvenance.GitCommit,
            ["git_dirty"] = BuildProvenance.GitDirty,
            ["command_line"] = CommandLine(commandLine),
        });
        AtomicFile.WriteAllText(File(ConfigFile), document.ToJsonString(ConfigBinding.JsonOptions));
    }

    // config.json: the run, the agent config, and where, with what and by which command it ran.
    private static JsonObject Describe(RunSettings settings, JsonObject agentConfig, IReadOnlyList<string>? commandLine) => new()
    {
        ["tool"] = "rlreg",
        ["tool_version"] = typeof(RunFolder).Assembly.GetName().Version?.ToString(),
        ["git_commit"] = BuildProvenance.GitCommit,
        ["git_dirty"] = BuildProvenance.GitDirty,
        ["command_line"] = CommandLine(commandLine),
        ["machine"] = new JsonObject
        {
            ["os"] = RuntimeInformation.OSDescription,
            ["architecture"] = RuntimeInformation.OSArchitecture.ToString(),
            ["processors"] = Environment.ProcessorCount,
            ["dotnet"] = RuntimeInformation.FrameworkDescription,
            ["torchsharp"] = typeof(TorchSharp.torch).Assembly.GetName().Version?.ToString(),
            ["host"] = Environment.MachineName,
            ["cpu"] = CpuDescription.Describe(),
        },
        ["executor"] = Executor(),
        ["run"] = JsonSerializer.SerializeToNode(settings, ConfigBinding.JsonOptions),
        ["env_change"] = EnvRegistry.Spec(settings.Env).Change is { } change ? JsonSerializer.SerializeToNode(change, ConfigBinding.JsonOptions) : null,
        ["agent_config"] = agentConfig.DeepClone(),
    };

    // Which study executor started the run (RLREG_EXECUTOR, set by rlreg compare's executors) and, under Slurm, the
    // array job and task: what ties a cell's folder to the scheduler's records. Null for a run started by hand.
    private static JsonObject? Executor()
    {
        static string? Env(string name) => Environment.GetEnvironmentVariable(name) is { Length: > 0 } v ? v : null;
        if (Env("RLREG_EXECUTOR") is not { } name) return null;
        var executor = new JsonObject { ["name"] = name };
        if (Env("SLURM_ARRAY_JOB_ID") is { } array) executor["slurm_job_id"] = array;
        if (Env("SLURM_ARRAY_TASK_ID") is { } task) executor["slurm_array_task_id"] = task;
        if (Env("SLURM_JOB_ID") is { } job) executor["slurm_task_job_id"] = job;
        return executor;
    }

    private static JsonArray? CommandLine(IReadOnlyList<string>? commandLine) =>
        commandLine is null ? null : new JsonArray([.. commandLine.Select(a => JsonValue.Create(a))]);

    public void Dispose() => _lock.Dispose();
}
