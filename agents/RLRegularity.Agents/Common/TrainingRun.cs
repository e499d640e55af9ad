using System.Text.Json;
using System.Text.Json.Nodes;
using RLRegularity.Envs.Core;
using RLRegularity.Normalization;

namespace RLRegularity.Agents.Common;

/// <summary>
/// A training run: a learner, its <see cref="RunFolder"/>, and the observers that record what it produces (the CSV
/// logs, TensorBoard, the summary, the progress display), composed through <see cref="ITrainingObserver"/>. It trains
/// in stretches between checkpoints; a checkpoint holds the learner's every RNG, buffer and environment state and the
/// observers' positions (CSV lengths, TensorBoard's thinning), so a resumed run continues exactly as an uninterrupted
/// one would (see <see cref="Resume"/>).
/// </summary>
public sealed class TrainingRun : ITrainingObserver, IDisposable
{
    private readonly RunFolder _folder;
    private readonly ILearner _learner;
    private readonly RunClock _clock;
    private readonly RunCsvLogs _csv;
    private readonly TensorBoardObserver _tensorBoard;
    private readonly RunSummary _summary;
    private readonly ProgressObserver _progress;
    private readonly PolicyEvaluation? _evaluation;
    private readonly ITrainingObserver[] _observers;

    internal TrainingRun(RunFolder folder, RunSettings settings, JsonObject agentConfig, ILearner learner, RunState? resumedFrom, bool purgeTensorBoard = false)
    {
        _folder = folder;
        Settings = settings;
        AgentConfig = agentConfig;
        _learner = learner;
        _clock = new RunClock(resumedFrom?.WallSeconds ?? 0);
        _csv = new RunCsvLogs(folder, learner.UpdateColumns, _clock, resumedFrom, withDiagnostics: learner.DiagnosticsEvery is not null);
        // Everything at the checkpoint's own step was logged before the checkpoint: only later points are orphans.
        _tensorBoard = new TensorBoardObserver(folder.Path, learner.UpdateColumns, purgeTensorBoard ? learner.GlobalStep + 1 : null,
                                               resumedFrom?.LastTensorBoardUpdateStep);
        _summary = new RunSummary(_clock, resumedFrom is null ? null : folder.File(RunFolder.EpisodesFile));
        _progress = new ProgressObserver(learner, settings.Steps, _clock, () => _summary.MeanReturn20);
        _evaluation = settings.EvalEvery is null ? null : new PolicyEvaluation(folder, settings, agentConfig, learner, _tensorBoard.Log, resumedFrom);
        _observers = _evaluation is null ? [_csv, _tensorBoard, _summary, _progress] : [_csv, _tensorBoard, _summary, _evaluation, _progress];
    }

    /// <summary>The run folder.</summary>
    public string Folder => _folder.Path;

    /// <summary>The run-level settings.</summary>
    public RunSettings Settings { get; }

    /// <summary>The agent's resolved config.</summary>
    public JsonObject AgentConfig { get; }

    /// <summary>The learner (for evaluation after training).</summary>
    public ILearner Learner => _learner;

    /// <summary>Reports live figures, if set.</summary>
    public Action<RunProgress>? Progress
    {
        get => _progress.Report;
        set => _progress.Report = value;
    }

    /// <summary>The least time between two <see cref="Progress"/> reports (zero: at every episode and update).</summary>
    public TimeSpan ProgressInterval
    {
        get => _progress.Interval;
        set => _progress.Interval = value;
    }

    /// <summary>The lock file that keeps two processes from writing one run folder.</summary>
    public const string LockFile = RunFolder.LockFile;

    /// <summary>Environment steps between two updates' scalars in TensorBoard (see <see cref="TensorBoardObserver.UpdateSpacing"/>).</summary>
    public const long TensorBoardUpdateSpacing = TensorBoardObserver.UpdateSpacing;

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
        TorchRuntime.Initialize(settings.Threads);
        ILearner learner = AgentFactory.Create(settings.Agent, settings.Env, agentConfig, settings.Seed, settings.Steps);
        try
        {
            return new TrainingRun(RunFolder.Create(folder, settings, agentConfig, commandLine), settings, agentConfig, learner, null);
        }
        catch
        {
            learner.Dispose();
            throw;
        }
    }

    /// <summary>
    /// Reopens the run in <paramref name="folder"/> at its newest intact checkpoint (or the one named in
    /// <paramref name="options"/>), or from the start if it has none; damaged checkpoints are set aside with a warning and
    /// the CSVs and TensorBoard cut back, so the finished run equals an uninterrupted one (see <see cref="RunResumption"/>).
    /// </summary>
    public static TrainingRun Resume(string folder, ResumeOptions? options = null) => RunResumption.Resume(folder, options);

    /// <summary>True if another process holds the run folder's lock right now.</summary>
    public static bool IsInUse(string folder) => RunFolder.IsInUse(folder);

    /// <summary>Reads a run folder's config.json; a missing or malformed file is an error naming the folder.</summary>
    public static (RunSettings Settings, JsonObject AgentConfig) ReadConfig(string folder)
    {
        (RunSettings settings, JsonObject agentConfig, _) = RunFolder.ReadConfig(folder);
        return (settings, agentConfig);
    }

    /// <summary>The folder of the run's latest checkpoint, or null.</summary>
    public static string? LatestCheckpoint(string folder)
    {
        string pointer = Path.Combine(folder, CheckpointStore.FolderName, CheckpointStore.LatestPointer);
        if (!File.Exists(pointer)) return null;
        string path = Path.Combine(folder, CheckpointStore.FolderName, File.ReadAllText(pointer).Trim());
        return Directory.Exists(path) ? path : throw new InvalidDataException($"{pointer} names a checkpoint that does not exist: {path}");
    }

    /// <summary>Trains to the end (or until cancelled), checkpointing every <see cref="RunSettings.CheckpointEvery"/> steps.</summary>
    public RunOutcome Run(CancellationToken cancellation)
    {
        bool finalExists = Directory.Exists(Path.Combine(Folder, CheckpointStore.FolderName, CheckpointStore.Final));
        // A finished run resumed without an extension has nothing to do; its summary stays as written.
        if (BudgetSpent && finalExists && File.Exists(_folder.File(RunFolder.SummaryFile))) return RunOutcome.Completed;
        _clock.Start();
        while (!BudgetSpent)
        {
            long next = Math.Min(Settings.Steps, (_learner.GlobalStep / Settings.CheckpointEvery + 1) * Settings.CheckpointEvery);
            // The learner stops at its next safe point when the episode budget is met, as it does for a signal.
            using (_episodeBudget = CancellationTokenSource.CreateLinkedTokenSource(cancellation))
                _learner.LearnUntil(next, this, _episodeBudget.Token);
            // A signal that arrives during the last steps finds the run done: it completes rather than stopping at its end.
            if (cancellation.IsCancellationRequested && !BudgetSpent)
            {
                WriteCheckpoint(final: false);
                return RunOutcome.Interrupted;
            }
            WriteCheckpoint(final: BudgetSpent);
            finalExists |= BudgetSpent;
        }
        // A run stopped at its very end by an earlier version resumes here with nothing left to learn.
        if (!finalExists) WriteCheckpoint(final: true);
        _summary.Write(_folder.File(RunFolder.SummaryFile), _learner, EnvRegistry.Spec(Settings.Env).RewardThreshold);
        return RunOutcome.Completed;
    }

    private CancellationTokenSource? _episodeBudget;

    // The run is over when its steps are done or, with an episode budget, when that many episodes have finished.
    private bool BudgetSpent => _learner.GlobalStep >= Settings.Steps || (Settings.Episodes is long n && _learner.Episodes >= n);

    public void OnEpisode(EpisodeRecord episode)
    {
        _clock.Stamp();
        foreach (ITrainingObserver observer in _observers) observer.OnEpisode(episode);
        if (Settings.Episodes is long n && episode.Episode >= n) _episodeBudget?.Cancel();
    }

    public void OnUpdate(UpdateRecord update)
    {
        _clock.Stamp();
        foreach (ITrainingObserver observer in _observers) observer.OnUpdate(update);
        if (update.Update % Settings.RegularityEvery == 0)
        {
            IReadOnlyList<RegularitySnapshot> snapshots = _learner.RegularitySnapshots();
            foreach (ITrainingObserver observer in _observers) observer.OnRegularity(update, snapshots);
        }
        if (_learner.DiagnosticsEvery is int every && every > 0 && update.Update % every == 0)
        {
            IReadOnlyList<LayerDiagnostics> layers = _learner.Diagnostics();
            foreach (ITrainingObserver observer in _observers) observer.OnDiagnostics(update, layers);
        }
    }

    void ITrainingObserver.OnRegularity(UpdateRecord update, IReadOnlyList<RegularitySnapshot> snapshots) { }

    void ITrainingObserver.OnDiagnostics(UpdateRecord update, IReadOnlyList<LayerDiagnostics> layers) { }

    private void WriteCheckpoint(bool final)
    {
        string name = final ? CheckpointStore.Final : CheckpointStore.Periodic(_learner.GlobalStep);
        (long episodes, long updates, long regularity) = _csv.Lengths;
        var state = new RunState(_clock.WallSeconds, episodes, updates, regularity, _learner.GlobalStep,
                                 ConfigSnapshot(Settings, AgentConfig), _tensorBoard.LastUpdateStep, _evaluation?.CsvLength, _evaluation?.LastStep,
                                 _csv.DiagnosticsLength);
        CheckpointStore.Write(Folder, name, dir =>
        {
            _learner.SaveCheckpoint(dir);
            File.WriteAllText(Path.Combine(dir, RunState.FileName), JsonSerializer.Serialize(state, ConfigBinding.JsonOptions));
        });
    }

    // What a checkpoint remembers of the config: the run settings (threads aside: they may change on resume) and the agent config.
    internal static JsonObject ConfigSnapshot(RunSettings settings, JsonObject agentConfig)
    {
        JsonObject run = JsonSerializer.SerializeToNode(settings, ConfigBinding.JsonOptions)!.AsObject();
        run.Remove("threads");
        return new JsonObject { ["run"] = run, ["agent_config"] = agentConfig.DeepClone() };
    }

    public void Dispose()
    {
        _evaluation?.Dispose();
        _csv.Dispose();
        _learner.Dispose();
        _folder.Dispose();
    }
}
