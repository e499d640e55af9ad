using System.Text.Json;
using System.Text.Json.Nodes;
using RLRegularity.Logging;

namespace RLRegularity.Agents.Common;

/// <summary>How <see cref="TrainingRun.Resume"/> continues a run.</summary>
public sealed record ResumeOptions
{
    /// <summary>TorchSharp threads for this session (config.json keeps the original).</summary>
    public int? Threads { get; init; }

    /// <summary>Resume from this checkpoint (a name under checkpoints/) instead of the newest intact one.</summary>
    public string? Checkpoint { get; init; }

    /// <summary>
    /// Extend the run to this many steps in all (more than it planned). The learner is rebuilt for the new total, so
    /// schedules that depend on it (DQN's ε decay, PPO's learning-rate annealing) follow the new plan from the resume
    /// point on: an extended run is not the run that was planned for the new total from the start.
    /// </summary>
    public long? ExtendTo { get; init; }

    /// <summary>The command that resumed (recorded with an extension).</summary>
    public IReadOnlyList<string>? CommandLine { get; init; }

    /// <summary>Receives warnings (a damaged checkpoint set aside, superseded files).</summary>
    public Action<string>? Warn { get; init; }
}

/// <summary>How a run folder is reopened where it stopped: which checkpoint is usable, what is cut back or set aside, and
/// what an extension records (<see cref="TrainingRun.Resume"/>).</summary>
internal static class RunResumption
{
    /// <summary>
    /// Reopens the run in <paramref name="folder"/> at its newest intact checkpoint (or the one named in
    /// <paramref name="options"/>), or from the start if it has none. A checkpoint whose files do not match their
    /// manifest, or that fails to load, is moved aside with a warning and the next older one is tried; the CSVs are cut
    /// back to the checkpoint that is used and TensorBoard is told to drop later points, so the finished run equals
    /// an uninterrupted one. A config.json edited since the checkpoint was written is refused, naming the keys.
    /// </summary>
    public static TrainingRun Resume(string folder, ResumeOptions? options)
    {
        options ??= new ResumeOptions();
        Action<string> warn = options.Warn ?? (_ => { });
        RunFolder runFolder = RunFolder.Open(folder);
        ILearner? learner = null;
        try
        {
            (RunSettings settings, JsonObject agentConfig, JsonObject document) = RunFolder.ReadConfig(folder);
            if (options.Threads is int threads) settings = settings with { Threads = threads };
            long plannedSteps = settings.Steps;
            if (options.ExtendTo is long extendTo)
            {
                if (extendTo <= plannedSteps)
                    throw new ArgumentException($"--extend-to {extendTo}: the run already plans {plannedSteps} steps; extending means a larger total");
                settings = settings with { Steps = extendTo };
            }
            settings.Validate();
            TorchRuntime.Initialize(settings.Threads);

            (learner, RunState? state, string? checkpoint) = LoadNewestUsable(folder, settings, agentConfig, document, plannedSteps, options, warn);
            learner ??= AgentFactory.Create(settings.Agent, settings.Env, agentConfig, settings.Seed, settings.Steps);
            if (checkpoint is not null) SetAsideNewerCheckpoints(folder, checkpoint, warn);
            string summary = runFolder.File(RunFolder.SummaryFile);
            if (options.ExtendTo is long to)
            {
                runFolder.RecordExtension(document, plannedSteps, to, learner.GlobalStep, options.CommandLine);
                if (File.Exists(summary)) File.Move(summary, runFolder.File($"summary.{plannedSteps}-steps.json"), overwrite: true);
                string final = Path.Combine(folder, CheckpointStore.FolderName, CheckpointStore.Final);
                if (Directory.Exists(final))
                {
                    // The finished shorter run's final checkpoint stays, under a name that says which run it ends.
                    string kept = $"{CheckpointStore.Final}-{plannedSteps}";
                    Directory.Move(final, Path.Combine(folder, CheckpointStore.FolderName, kept));
                    AtomicFile.WriteAllText(Path.Combine(folder, CheckpointStore.FolderName, CheckpointStore.LatestPointer), kept);
                }
            }
            else if (File.Exists(summary) && Path.GetFileName(checkpoint) != CheckpointStore.Final)
            {
                // The run goes on from before its end: the summary is written again, identically, when it completes.
                File.Delete(summary);
            }
            state ??= new RunState(0, runFolder.HeaderLength(RunFolder.EpisodesFile), runFolder.HeaderLength(RunFolder.UpdatesFile),
                                   runFolder.HeaderLength(RunFolder.RegularityFile), EvalsCsvLength: runFolder.HeaderLength(RunFolder.EvalsFile),
                                   DiagnosticsCsvLength: runFolder.HeaderLength(RunFolder.DiagnosticsFile));
            bool hadEvents = Directory.GetFiles(folder, "events.out.tfevents.*").Length > 0;
            return new TrainingRun(runFolder, settings, agentConfig, learner, state, purgeTensorBoard: hadEvents);
        }
        catch
        {
            learner?.Dispose();
            runFolder.Dispose();
            throw;
        }
    }

    // Tries the named checkpoint, or every checkpoint newest first, and returns the first that is intact, was written
    // under the current config and loads; damaged ones are moved aside. (null, null, null) if none: start over.
    private static (ILearner?, RunState?, string?) LoadNewestUsable(string folder, RunSettings settings, JsonObject agentConfig,
        JsonObject document, long plannedSteps, ResumeOptions options, Action<string> warn)
    {
        IReadOnlyList<string> candidates;
        if (options.Checkpoint is { } requested)
        {
            string path = Path.Combine(folder, CheckpointStore.FolderName, requested);
            if (requested.Contains('/') || !Directory.Exists(path))
                throw new ArgumentException($"--checkpoint: '{folder}' has no checkpoint named '{requested}'; it has: {CheckpointStore.Names(folder)}");
            candidates = [path];
        }
        else
        {
            candidates = CheckpointStore.Newest(folder);
        }
        JsonObject current = TrainingRun.ConfigSnapshot(settings with { Steps = plannedSteps }, agentConfig);
        IReadOnlySet<long> extendedFrom = RunFolder.ExtendedFrom(document);
        int skippedAsBeforeExtension = 0, damaged = 0;
        foreach (string path in candidates)
        {
            string name = Path.GetFileName(path);
            string? damage = CheckpointStore.Verify(path);
            RunState? state = null;
            if (damage is null)
            {
                try
                {
                    state = JsonSerializer.Deserialize<RunState>(File.ReadAllText(Path.Combine(path, RunState.FileName)), ConfigBinding.JsonOptions)
                            ?? throw new InvalidDataException("it is empty");
                }
                catch (Exception e) when (e is JsonException or IOException or InvalidDataException)
                {
                    damage = $"{RunState.FileName} is unreadable ({e.Message})";
                }
            }
            if (damage is null && state!.Config is { } then)
            {
                List<string> edits = RunConfigFile.Differences(then, current);
                long? thenSteps = then["run"]?["steps"]?.GetValue<long>();
                if (edits.Count == 1 && thenSteps is long s && s != plannedSteps && extendedFrom.Contains(s) && options.Checkpoint is null)
                {
                    warn($"checkpoint {name} was written before the run was extended to {plannedSteps} steps; not resuming from it");
                    skippedAsBeforeExtension++;
                    continue;
                }
                if (edits.Count > 0)
                    throw new InvalidDataException(
                        $"{Path.Combine(folder, RunFolder.ConfigFile)} differs from the config checkpoint {name} was written with: {string.Join("; ", edits)}. " +
                        "A resumed run continues exactly as it was configured: restore config.json, or start a new run from the edited file with --config");
            }
            if (damage is null)
            {
                ILearner learner = AgentFactory.Create(settings.Agent, settings.Env, agentConfig, settings.Seed, settings.Steps);
                try
                {
                    learner.LoadCheckpoint(path);
                    return (learner, state, path);
                }
                catch (Exception e) when (e is not OutOfMemoryException)
                {
                    learner.Dispose();
                    damage = $"it does not load ({e.Message})";
                }
            }
            if (options.Checkpoint is not null) throw new InvalidDataException($"--checkpoint: the checkpoint '{name}' is damaged: {damage}");
            string moved = CheckpointStore.Quarantine(path);
            damaged++;
            warn($"checkpoint {name} is damaged ({damage}); moved it to {Path.GetFileName(moved)} and trying an older one");
        }
        if (skippedAsBeforeExtension > 0)
            throw new InvalidDataException($"'{folder}' has no intact checkpoint of its extended run; resume an earlier one explicitly " +
                                           "with --checkpoint NAME --extend-to STEPS");
        if (damaged > 0) warn("no intact checkpoint is left: the run starts again from step 0");
        return (null, null, null);
    }

    // Checkpoints newer than the one resumed from describe a future the run is about to recompute: set them aside.
    private static void SetAsideNewerCheckpoints(string folder, string checkpoint, Action<string> warn)
    {
        foreach (string newer in CheckpointStore.Newest(folder).TakeWhile(p => p != checkpoint))
        {
            string target = Path.Combine(Path.GetDirectoryName(newer)!, $"superseded-{Path.GetFileName(newer)}-{DateTime.UtcNow:yyyyMMddHHmmssfff}");
            Directory.Move(newer, target);
            warn($"checkpoint {Path.GetFileName(newer)} is newer than {Path.GetFileName(checkpoint)}; moved it to {Path.GetFileName(target)}");
        }
    }
}
