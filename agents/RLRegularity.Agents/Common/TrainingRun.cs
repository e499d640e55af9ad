using System.Diagnostics;
using System.Globalization;
using System.Runtime.InteropServices;
using System.Text.Json;
using System.Text.Json.Nodes;
using RLRegularity.Envs.Core;
using RLRegularity.Logging;
using RLRegularity.Normalization;

namespace RLRegularity.Agents.Common;

/// <summary>What a run is: agent, environment, seed, length and the run-level settings (the agent's own config is separate).</summary>
/// <param name="Agent">dqn or ppo.</param>
/// <param name="Env">The environment id.</param>
/// <param name="Seed">The seed of everything (networks, exploration, environments).</param>
/// <param name="Steps">Total environment steps.</param>
/// <param name="Preset">The preset the config started from.</param>
/// <param name="Threads">TorchSharp intra-op threads.</param>
/// <param name="CheckpointEvery">Environment steps between periodic checkpoints.</param>
/// <param name="RegularityEvery">Updates between rows of regularity.csv.</param>
public sealed record RunSettings(string Agent, string Env, long Seed, long Steps, string Preset, int Threads, long CheckpointEvery, int RegularityEvery)
{
    /// <summary>Throws an <see cref="ArgumentException"/> naming the first setting out of range (with its option).</summary>
    public void Validate()
    {
        if (Seed < 0) throw new ArgumentException($"--seed must be non-negative, got {Seed}");
        if (Steps <= 0) throw new ArgumentException($"--steps must be positive, got {Steps}");
        if (Threads <= 0) throw new ArgumentException($"--threads must be positive, got {Threads}");
        if (CheckpointEvery <= 0) throw new ArgumentException($"--checkpoint-every must be positive, got {CheckpointEvery}");
        if (RegularityEvery <= 0) throw new ArgumentException($"--regularity-every must be a positive number of updates, got {RegularityEvery}");
    }
}

/// <summary>Live figures of a run, for a progress display.</summary>
public sealed record RunProgress(long Step, long TotalSteps, long Episodes, double MeanReturn20, double StepsPerSecond, TimeSpan Elapsed);

/// <summary>How a run ended.</summary>
public enum RunOutcome
{
    /// <summary>All steps done; the final checkpoint and summary.json are written.</summary>
    Completed,
    /// <summary>Stopped by a signal; a checkpoint was written and the run can be resumed.</summary>
    Interrupted,
}

/// <summary>
/// A training run and its folder (see runs/README.md): config.json, episodes.csv, updates.csv, regularity.csv,
/// TensorBoard events, checkpoints/ and summary.json. Checkpoints record the CSV lengths, so a resumed run cuts the
/// CSVs back to the checkpoint and appends without duplicated or missing rows; the learner's checkpoint holds every
/// RNG, buffer and environment state, so a resumed run continues exactly as an uninterrupted one would.
/// </summary>
public sealed partial class TrainingRun : ITrainingObserver, IDisposable
{
    private const string ConfigFile = "config.json";
    private const string SummaryFile = "summary.json";
    private const string RunStateFile = "run.state.json";

    private readonly FileStream _lock;
    private readonly ILearner _learner;
    private readonly CsvLog _episodes;
    private readonly CsvLog _updates;
    private readonly CsvLog _regularity;
    private readonly TensorBoardLog _tensorBoard;
    private readonly List<double> _returns = [];
    private readonly Stopwatch _clock = new();
    private readonly double _wallSecondsBefore;
    private readonly long _stepAtStart;
    private readonly double? _rewardThreshold;

    private TrainingRun(string folder, RunSettings settings, JsonObject agentConfig, ILearner learner, RunState? resumedFrom, FileStream runLock,
                        bool purgeTensorBoard = false)
    {
        _lock = runLock;
        Folder = folder;
        Settings = settings;
        AgentConfig = agentConfig;
        _learner = learner;
        _rewardThreshold = EnvRegistry.Spec(settings.Env).RewardThreshold;
        _wallSecondsBefore = resumedFrom?.WallSeconds ?? 0;
        _episodes = new CsvLog(Path.Combine(folder, "episodes.csv"), ["global_step", "episode", "return", "length", "wall_seconds", "schedule_value"], resumedFrom?.EpisodesCsvLength);
        _updates = new CsvLog(Path.Combine(folder, "updates.csv"), ["global_step", "update", .. learner.UpdateColumns, "wall_seconds"], resumedFrom?.UpdatesCsvLength);
        _regularity = new CsvLog(Path.Combine(folder, "regularity.csv"),
            ["global_step", "update", "layer", "calls", "code_length", "code_length_batch_mean", "comp", "mean", "std", "count", "non_positive", "initialized"],
            resumedFrom?.RegularityCsvLength);
        // Everything at the checkpoint's own step was logged before the checkpoint: only later points are orphans.
        _tensorBoard = new TensorBoardLog(folder, purgeTensorBoard ? learner.GlobalStep + 1 : null);
        // The update-scalar thinning goes on where it was, so a resumed run logs the points the whole run would.
        _lastTensorBoardUpdateStep = resumedFrom?.LastTensorBoardUpdateStep;
        if (resumedFrom is not null)
        {
            foreach (string line in File.ReadLines(_episodes.Path).Skip(1))
                _returns.Add(double.Parse(line.Split(',')[2], CultureInfo.InvariantCulture));
        }
        _stepAtStart = learner.GlobalStep;
    }

    /// <summary>The run folder.</summary>
    public string Folder { get; }

    /// <summary>The run-level settings.</summary>
    public RunSettings Settings { get; }

    /// <summary>The agent's resolved config.</summary>
    public JsonObject AgentConfig { get; }

    /// <summary>Reports live figures, if set.</summary>
    public Action<RunProgress>? Progress { get; set; }

    /// <summary>The default folder of a new run: runs/&lt;env&gt;/&lt;agent&gt;-&lt;norm&gt;-s&lt;seed&gt;-&lt;timestamp&gt;.</summary>
    public static string DefaultFolder(string root, RunSettings settings, JsonObject agentConfig) =>
        Path.Combine(root, settings.Env, $"{settings.Agent}-{AgentFactory.NormalizerOf(agentConfig)}-s{settings.Seed}-{DateTime.Now:yyyyMMdd-HHmmss}");

    /// <summary>
    /// Creates a new run in <paramref name="folder"/>, which must not exist or be empty (nothing is overwritten).
    /// Everything is validated before the folder is made, so a refused run leaves nothing behind.
    /// <paramref name="commandLine"/> (the program name and its arguments) is recorded in config.json.
    /// </summary>
    public static TrainingRun Create(string folder, RunSettings settings, JsonObject agentConfig, IReadOnlyList<string>? commandLine = null)
    {
        settings.Validate();
        EnvRegistry.Spec(settings.Env);
        if (Directory.Exists(folder) && Directory.EnumerateFileSystemEntries(folder).Any())
            throw new ArgumentException($"the run folder '{folder}' already exists and is not empty; resume it with --resume {folder} or choose another --out");
        OutputLocation.EnsureFolderCanBeWritten(folder, "--out");
        TorchRuntime.Initialize(settings.Threads);
        ILearner learner = AgentFactory.Create(settings.Agent, settings.Env, agentConfig, settings.Seed, settings.Steps);
        Directory.CreateDirectory(folder);
        FileStream runLock = Lock(folder);
        AtomicFile.WriteAllText(Path.Combine(folder, ConfigFile), DescribeRun(settings, agentConfig, commandLine).ToJsonString(ConfigBinding.JsonOptions));
        return new TrainingRun(folder, settings, agentConfig, learner, null, runLock);
    }

    /// <summary>The lock file that keeps two processes from writing one run folder.</summary>
    public const string LockFile = ".lock";

    // errno EWOULDBLOCK: what .NET reports when another process holds the folder's flock.
    private const int LockHeldElsewhere = 11;

    // An exclusive lock on folder/.lock, held while the run is open (advisory flock on Unix, honoured by every rlreg).
    private static FileStream Lock(string folder)
    {
        try
        {
            return new FileStream(Path.Combine(folder, LockFile), FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None);
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
        if (!File.Exists(Path.Combine(folder, LockFile))) return false;
        try
        {
            using var probe = new FileStream(Path.Combine(folder, LockFile), FileMode.Open, FileAccess.ReadWrite, FileShare.None);
            return false;
        }
        catch (IOException)
        {
            return true;
        }
    }

    // The byte length of a CSV's header line (0 if the file does not exist): a run resumed without checkpoint starts over.
    private static long? HeaderLength(string folder, string file)
    {
        string path = Path.Combine(folder, file);
        if (!File.Exists(path)) return null;
        string? header = File.ReadLines(path).FirstOrDefault();
        return header is null ? 0 : header.Length + 1;
    }

    /// <summary>Reads a run folder's config.json; a missing or malformed file is an error naming the folder.</summary>
    public static (RunSettings Settings, JsonObject AgentConfig) ReadConfig(string folder)
    {
        (RunSettings settings, JsonObject agentConfig, _) = ReadConfigDocument(folder);
        return (settings, agentConfig);
    }

    // config.json's run settings, agent config and whole document.
    private static (RunSettings Settings, JsonObject AgentConfig, JsonObject Document) ReadConfigDocument(string folder)
    {
        string path = Path.Combine(folder, ConfigFile);
        if (!File.Exists(path)) throw new FileNotFoundException($"'{folder}' is not a run folder: it has no {ConfigFile}", path);
        try
        {
            JsonObject root = JsonNode.Parse(File.ReadAllText(path))!.AsObject();
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

    /// <summary>The folder of the run's latest checkpoint, or null.</summary>
    public static string? LatestCheckpoint(string folder)
    {
        string pointer = Path.Combine(folder, CheckpointStore.FolderName, CheckpointStore.LatestPointer);
        if (!File.Exists(pointer)) return null;
        string path = Path.Combine(folder, CheckpointStore.FolderName, File.ReadAllText(pointer).Trim());
        return Directory.Exists(path) ? path : throw new InvalidDataException($"{pointer} names a checkpoint that does not exist: {path}");
    }

    /// <summary>The learner (for evaluation after training).</summary>
    public ILearner Learner => _learner;

    /// <summary>Trains to the end (or until cancelled), checkpointing every <see cref="RunSettings.CheckpointEvery"/> steps.</summary>
    public RunOutcome Run(CancellationToken cancellation)
    {
        // A finished run resumed without an extension has nothing to do; its summary stays as written.
        if (_learner.GlobalStep >= Settings.Steps && File.Exists(Path.Combine(Folder, SummaryFile))
            && Directory.Exists(Path.Combine(Folder, CheckpointStore.FolderName, CheckpointStore.Final)))
            return RunOutcome.Completed;
        _clock.Start();
        while (_learner.GlobalStep < Settings.Steps)
        {
            long next = Math.Min(Settings.Steps, (_learner.GlobalStep / Settings.CheckpointEvery + 1) * Settings.CheckpointEvery);
            _learner.LearnUntil(next, this, cancellation);
            // A signal that arrives during the last steps finds the run done: it completes rather than stopping at its end.
            if (cancellation.IsCancellationRequested && _learner.GlobalStep < Settings.Steps)
            {
                WriteCheckpoint(final: false);
                return RunOutcome.Interrupted;
            }
            WriteCheckpoint(final: _learner.GlobalStep >= Settings.Steps);
        }
        // A run stopped at its very end by an earlier version resumes here with nothing left to learn.
        if (!Directory.Exists(Path.Combine(Folder, CheckpointStore.FolderName, CheckpointStore.Final))) WriteCheckpoint(final: true);
        WriteSummary();
        return RunOutcome.Completed;
    }

    private double WallSeconds => _wallSecondsBefore + _clock.Elapsed.TotalSeconds;

    public void OnEpisode(EpisodeRecord episode)
    {
        _returns.Add(episode.Return);
        double schedule = episode.Info.TryGetValue(Envs.NonStationary.NonStationaryWrapper.ScheduleValueKey, out double v) ? v : double.NaN;
        _episodes.Write(episode.GlobalStep, episode.Episode, episode.Return, episode.Length, Math.Round(WallSeconds, 3), schedule);
        _tensorBoard.Scalar("charts/episodic_return", episode.Return, episode.GlobalStep);
        _tensorBoard.Scalar("charts/episodic_length", episode.Length, episode.GlobalStep);
        ReportProgress();
    }

    /// <summary>
    /// Environment steps between two updates' scalars in TensorBoard (CleanRL's DQN cadence). TorchSharp's writer opens
    /// the event file for every scalar, which at DQN's update rate cost a seventh of the run; the CSVs keep every update.
    /// </summary>
    public const long TensorBoardUpdateSpacing = 100;

    private long? _lastTensorBoardUpdateStep;

    public void OnUpdate(UpdateRecord update)
    {
        bool toTensorBoard = _lastTensorBoardUpdateStep is not long last || update.GlobalStep - last >= TensorBoardUpdateSpacing;
        if (toTensorBoard) _lastTensorBoardUpdateStep = update.GlobalStep;
        object?[] row = new object?[update.Values.Length + 3];
        row[0] = update.GlobalStep;
        row[1] = update.Update;
        for (int i = 0; i < update.Values.Length; i++)
        {
            row[i + 2] = update.Values[i];
            if (toTensorBoard) _tensorBoard.Scalar("losses/" + _learner.UpdateColumns[i], update.Values[i], update.GlobalStep);
        }
        row[^1] = Math.Round(WallSeconds, 3);
        _updates.Write(row);
        if (update.Update % Settings.RegularityEvery == 0)
        {
            foreach (RegularitySnapshot s in _learner.RegularitySnapshots())
            {
                _regularity.Write(update.GlobalStep, update.Update, s.Layer, s.Calls, s.CodeLength ?? double.NaN, s.CodeLengthBatchMean ?? double.NaN,
                                  s.Comp, s.Mean, s.Std, s.Count, s.NonPositiveCodeLengths, s.Initialized);
                if (toTensorBoard && s.CodeLength is double l) _tensorBoard.Scalar("regularity/" + s.Layer, l, update.GlobalStep);
            }
        }
        ReportProgress();
    }

    private long _lastProgressTicks;

    /// <summary>The least time between two <see cref="Progress"/> reports (zero: at every episode and update).</summary>
    public TimeSpan ProgressInterval { get; set; } = TimeSpan.FromMilliseconds(200);

    private void ReportProgress()
    {
        if (Progress is null) return;
        long now = Stopwatch.GetTimestamp();
        if (Stopwatch.GetElapsedTime(_lastProgressTicks, now) < ProgressInterval) return;
        _lastProgressTicks = now;
        double mean20 = _returns.Count == 0 ? double.NaN : _returns.TakeLast(20).Average();
        double sps = (_learner.GlobalStep - _stepAtStart) / Math.Max(_clock.Elapsed.TotalSeconds, 1e-9);
        Progress(new RunProgress(_learner.GlobalStep, Settings.Steps, _learner.Episodes, mean20, sps, TimeSpan.FromSeconds(WallSeconds)));
    }

    private void WriteCheckpoint(bool final)
    {
        string name = final ? CheckpointStore.Final : CheckpointStore.Periodic(_learner.GlobalStep);
        var state = new RunState(WallSeconds, _episodes.Length, _updates.Length, _regularity.Length, _learner.GlobalStep,
                                 ConfigSnapshot(Settings, AgentConfig), _lastTensorBoardUpdateStep);
        CheckpointStore.Write(Folder, name, dir =>
        {
            _learner.SaveCheckpoint(dir);
            File.WriteAllText(Path.Combine(dir, RunStateFile), JsonSerializer.Serialize(state, ConfigBinding.JsonOptions));
        });
    }

    private void WriteSummary()
    {
        double Mean(IEnumerable<double> xs) => xs.DefaultIfEmpty(double.NaN).Average();
        double best20 = double.NaN;
        long? solvedAt = null;
        double? solvedAtSeconds = null;
        // Global step and wall seconds of every episode (columns 1 and 5 of episodes.csv).
        var rows = File.ReadLines(_episodes.Path).Skip(1).Select(l => l.Split(','))
            .Select(c => (Step: long.Parse(c[0], CultureInfo.InvariantCulture), Seconds: double.Parse(c[4], CultureInfo.InvariantCulture))).ToList();
        for (int i = 19; i < _returns.Count; i++)
        {
            double m = _returns.Skip(i - 19).Take(20).Average();
            if (double.IsNaN(best20) || m > best20) best20 = m;
            if (solvedAt is null && _rewardThreshold is double threshold && m >= threshold) (solvedAt, solvedAtSeconds) = rows[i];
        }
        var summary = new JsonObject
        {
            ["final_mean_return_100"] = JsonFinite(Mean(_returns.TakeLast(100))),
            ["final_mean_return_20"] = JsonFinite(Mean(_returns.TakeLast(20))),
            ["best_mean_return_20"] = JsonFinite(best20),
            ["best_episode_return"] = JsonFinite(_returns.DefaultIfEmpty(double.NaN).Max()),
            ["reward_threshold"] = _rewardThreshold is double t ? t : null,
            ["solved_at_step"] = solvedAt,
            ["solved_at_seconds"] = solvedAtSeconds,
            ["episodes"] = _learner.Episodes,
            ["steps"] = _learner.GlobalStep,
            ["updates"] = _learner.Updates,
            ["wall_seconds"] = Math.Round(WallSeconds, 3),
            ["steps_per_second"] = Math.Round(_learner.GlobalStep / Math.Max(WallSeconds, 1e-9), 1),
        };
        AtomicFile.WriteAllText(Path.Combine(Folder, SummaryFile), summary.ToJsonString(ConfigBinding.JsonOptions));
    }

    private static JsonNode? JsonFinite(double v) => double.IsFinite(v) ? JsonValue.Create(v) : null;

    // config.json: the run, the agent config, and where, with what and by which command it ran.
    private static JsonObject DescribeRun(RunSettings settings, JsonObject agentConfig, IReadOnlyList<string>? commandLine) => new()
    {
        ["tool"] = "rlreg",
        ["tool_version"] = typeof(TrainingRun).Assembly.GetName().Version?.ToString(),
        ["git_commit"] = BuildProvenance.GitCommit,
        ["git_dirty"] = BuildProvenance.GitDirty,
        ["command_line"] = commandLine is null ? null : new JsonArray([.. commandLine.Select(a => JsonValue.Create(a))]),
        ["machine"] = new JsonObject
        {
            ["os"] = RuntimeInformation.OSDescription,
            ["architecture"] = RuntimeInformation.OSArchitecture.ToString(),
            ["processors"] = Environment.ProcessorCount,
            ["dotnet"] = RuntimeInformation.FrameworkDescription,
            ["torchsharp"] = typeof(TorchSharp.torch).Assembly.GetName().Version?.ToString(),
            ["host"] = Environment.MachineName,
        },
        ["run"] = JsonSerializer.SerializeToNode(settings, ConfigBinding.JsonOptions),
        ["env_change"] = EnvRegistry.Spec(settings.Env).Change is { } change ? JsonSerializer.SerializeToNode(change, ConfigBinding.JsonOptions) : null,
        ["agent_config"] = agentConfig.DeepClone(),
    };

    public void Dispose()
    {
        _episodes.Dispose();
        _updates.Dispose();
        _regularity.Dispose();
        _learner.Dispose();
        _lock.Dispose();
    }

    /// <summary>What a checkpoint records besides the learner: wall time and CSV lengths at that moment, the step, and
    /// the run's config then (to detect a config.json edited since; null in checkpoints of earlier versions).</summary>
    private sealed record RunState(double WallSeconds, long? EpisodesCsvLength, long? UpdatesCsvLength, long? RegularityCsvLength,
                                   long? Step = null, JsonObject? Config = null, long? LastTensorBoardUpdateStep = null);
}
