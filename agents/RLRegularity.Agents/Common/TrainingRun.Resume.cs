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

public sealed partial class TrainingRun
{
    private const string ExtensionsKey = "extensions";

    /// <summary>
    /// Reopens the run in <paramref name="folder"/> at its newest intact checkpoint (or the one named in
    /// <paramref name="options"/>), or from the start if it has none. A checkpoint whose files do not match their
    /// manifest, or that fails to load, is moved aside with a warning and the next older one is tried; the CSVs are cut
    /// back to the checkpoint that is used and TensorBoard is told to drop later points, so the finished run equals
    /// an uninterrupted one. A config.json edited since the checkpoint was written is refused, naming the keys.
    /// </summary>
    public static TrainingRun Resume(string folder, ResumeOptions? options = null)
    {
        options ??= new ResumeOptions();
        Action<string> warn = options.Warn ?? (_ => { });
        if (!Directory.Exists(folder)) throw new DirectoryNotFoundException($"the run folder '{folder}' does not exist");
        FileStream runLock = Lock(folder);
        try
        {
            (RunSettings settings, JsonObject agentConfig, JsonObject document) = ReadConfigDocument(folder);
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

            (ILearner? learner, RunState? state, string? checkpoint) = LoadNewestUsable(folder, settings, agentConfig, document, plannedSteps, options, warn);
            learner ??= AgentFactory.Create(settings.Agent, settings.Env, agentConfig, settings.Seed, settings.Steps);
            if (checkpoint is not null) SetAsideNewerCheckpoints(folder, checkpoint, warn);
            string summary = Path.Combine(folder, SummaryFile);
            if (options.ExtendTo is long to)
            {
                Extend(folder, document, plannedSteps, to, learner.GlobalStep, options.CommandLine);
                if (File.Exists(summary)) File.Move(summary, Path.Combine(folder, $"summary.{plannedSteps}-steps.json"), overwrite: true);
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
            state ??= new RunState(0, HeaderLength(folder, "episodes.csv"), HeaderLength(folder, "updates.csv"), HeaderLength(folder, "regularity.csv"));
            bool hadEvents = Directory.GetFiles(folder, "events.out.tfevents.*").Length > 0;
            return new TrainingRun(folder, settings, agentConfig, learner, state, runLock, purgeTensorBoard: hadEvents);
        }
        catch
        {
            runLock.Dispose();
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
        JsonObject current = ConfigSnapshot(settings with { Steps = plannedSteps }, agentConfig);
        var extendedFrom = document[ExtensionsKey] is JsonArray extensions
            ? extensions.Select(e => e?["from_steps"]?.GetValue<long>()).OfType<long>().ToHashSet()
            : [];
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
                    state = JsonSerializer.Deserialize<RunState>(File.ReadAllText(Path.Combine(path, RunStateFile)), ConfigBinding.JsonOptions)
                            ?? throw new InvalidDataException("it is empty");
                }
                catch (Exception e) when (e is JsonException or IOException or InvalidDataException)
                {
                    damage = $"{RunStateFile} is unreadable ({e.Message})";
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
                        $"{Path.Combine(folder, ConfigFile)} differs from the config checkpoint {name} was written with: {string.Join("; ", edits)}. " +
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

    // Records an extension in config.json: the new total, and from where, when and by which command it was extended.
    private static void Extend(string folder, JsonObject document, long from, long to, long atStep, IReadOnlyList<string>? commandLine)
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
            ["command_line"] = commandLine is null ? null : new JsonArray([.. commandLine.Select(a => JsonValue.Create(a))]),
        });
        AtomicFile.WriteAllText(Path.Combine(folder, ConfigFile), document.ToJsonString(ConfigBinding.JsonOptions));
    }

    // What a checkpoint remembers of the config: the run settings (threads aside: they may change on resume) and the agent config.
    private static JsonObject ConfigSnapshot(RunSettings settings, JsonObject agentConfig)
    {
        JsonObject run = JsonSerializer.SerializeToNode(settings, ConfigBinding.JsonOptions)!.AsObject();
        run.Remove("threads");
        return new JsonObject { ["run"] = run, ["agent_config"] = agentConfig.DeepClone() };
    }
}
