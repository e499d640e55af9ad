using System.Text.Json;
using System.Text.Json.Nodes;
using RLRegularity.Agents.Common;
using RLRegularity.Envs.Core;
using RLRegularity.Records;
using RLRegularity.Statistics;

namespace RLRegularity.Agents.Comparison;

/// <summary>
/// Every run under a folder (a run, a study, or a tree of either) as one tidy table, one row per run × episode: the run
/// (its path below the folder), agent, env, preset, normalizer, seed and planned steps, every agent config key whose
/// value differs between the runs (the study's other axes), and the episode's columns of episodes.csv.
/// </summary>
public static class ResultsTable
{
    /// <summary>Builds the table; a folder without runs is an <see cref="InvalidDataException"/>.</summary>
    public static TidyTable Build(string root, Action<string>? problem = null)
    {
        List<RunInfo> runs = RunInfo.FindAll(root, problem);
        if (runs.Count == 0) throw new InvalidDataException($"'{root}' holds no run folder (a folder with a run's config.json)");
        var read = runs.Select(r => RunFolder.ReadConfig(r.Folder)).ToList();
        var configs = read.Select(c => Flatten(c.AgentConfig)).ToList();
        var settings = read.Select(c => c.Settings).ToList();
        // The axes beyond the fixed columns: config keys whose values are not the same in every run.
        string[] axes = [.. configs.SelectMany(c => c.Keys).Distinct().Order(StringComparer.Ordinal)
            .Where(key => key != "normalizer" && configs.Select(c => c.GetValueOrDefault(key)?.ToJsonString()).Distinct().Count() > 1)];
        var numeric = axes.ToDictionary(a => a, a => configs.All(c => c.GetValueOrDefault(a) is JsonValue v && v.GetValueKind() == JsonValueKind.Number));

        var table = new TidyTable()
            .Column("run", typeof(string)).Column("agent", typeof(string)).Column("env", typeof(string)).Column("preset", typeof(string))
            .Column("norm", typeof(string)).Column("seed", typeof(long)).Column("planned_steps", typeof(long));
        foreach (string axis in axes) table.Column(axis, numeric[axis] ? typeof(double) : typeof(string));
        table.Column("global_step", typeof(long)).Column("episode", typeof(long)).Column("return", typeof(double)).Column("length", typeof(long))
             .Column("wall_seconds", typeof(double)).Column("schedule_value", typeof(double));
        for (int r = 0; r < runs.Count; r++)
        {
            string episodes = Path.Combine(runs[r].Folder, RunFolder.EpisodesFile);
            if (!File.Exists(episodes)) continue;
            object?[] fixedCells =
            [
                Path.GetRelativePath(root, runs[r].Folder), runs[r].Agent, runs[r].Env, settings[r].Preset, runs[r].Normalizer, runs[r].Seed, settings[r].Steps,
                .. axes.Select(a => configs[r].GetValueOrDefault(a) is { } v ? (numeric[a] ? v.GetValue<double>() : (object)Text(v)) : null),
            ];
            foreach (EpisodeRow e in CsvSchema<EpisodeRow>.ReadAll(episodes))
                table.Add([.. fixedCells, e.GlobalStep, e.Episode, e.Return, (long)e.Length, e.WallSeconds, e.ScheduleValue]);
        }
        return table;
    }

    /// <summary>
    /// One row per run and metric, with the <c>rlreg train</c> command that reproduces the run alone (its recorded command
    /// line without <c>--out</c> and the compare worker's <c>--progress-json</c>): columns agent, env, norm, seed, metric,
    /// value, command. Metrics as <c>rlreg compare</c> computes them: <c>final_return</c> (mean return of the episodes
    /// ending in the last 10% of the steps), <c>final_return_ma50</c> (the 50-episode moving average at the last episode,
    /// the paper's metric and the final score of episode budgets), <c>final_eval_return</c> (the last greedy
    /// evaluation's mean return, for runs trained with evaluations), <c>auc</c> (the 20-episode rolling mean over a 100-point grid, averaged),
    /// <c>steps_to_threshold</c> (where the env has one and the run reached it), the summary's
    /// <c>final_mean_return_20</c> and <c>final_mean_return_100</c>, and on non-stationary tasks <c>pre_change</c>,
    /// <c>drop</c> and <c>recovery_steps</c> around the first change; for runs with diagnostics.csv, the plasticity
    /// diagnostics <c>dormant_*</c>, <c>effective_rank_*</c> and <c>weight_distance_*</c> (see <see cref="DiagnosticsMetrics"/>).
    /// </summary>
    public static TidyTable RunMetrics(string root, Action<string>? problem = null)
    {
        List<RunInfo> runs = RunInfo.FindAll(root, problem);
        if (runs.Count == 0) throw new InvalidDataException($"'{root}' holds no run folder (a folder with a run's config.json)");
        var table = new TidyTable().Column("agent", typeof(string)).Column("env", typeof(string)).Column("norm", typeof(string))
            .Column("seed", typeof(long)).Column("metric", typeof(string)).Column("value", typeof(double)).Column("command", typeof(string));
        foreach (RunInfo run in runs.Where(r => r.Status == RunStatus.Finished))
        {
            (RunSettings settings, _, JsonObject document) = RunFolder.ReadConfig(run.Folder);
            List<EpisodeRow> episodes = CsvSchema<EpisodeRow>.ReadAll(Path.Combine(run.Folder, RunFolder.EpisodesFile));
            long[] ends = [.. episodes.Select(e => e.GlobalStep)];
            double[] returns = [.. episodes.Select(e => e.Return)];
            long[] grid = LearningCurveMetrics.Grid(settings.Steps, ComparisonReport.GridPoints);
            double[] curve = LearningCurveMetrics.OnGrid(ends, returns, grid, ComparisonReport.CurveWindow);
            JsonNode? summary = JsonNode.Parse(File.ReadAllText(Path.Combine(run.Folder, RunFolder.SummaryFile)));
            var metrics = new List<(string, double?)>
            {
                ("final_return", LearningCurveMetrics.FinalPerformance(ends, returns, settings.Steps)),
                ("final_return_ma50", LearningCurveMetrics.FinalMovingAverage(returns, ComparisonReport.FinalEpisodesWindow)),
                ("auc", LearningCurveMetrics.NormalizedArea(grid, curve)),
                ("final_mean_return_20", summary?["final_mean_return_20"]?.GetValue<double>()),
                ("final_mean_return_100", summary?["final_mean_return_100"]?.GetValue<double>()),
            };
            EnvSpec? spec = EnvRegistry.Contains(settings.Env) ? EnvRegistry.Spec(settings.Env) : null;
            string evals = Path.Combine(run.Folder, RunFolder.EvalsFile);
            if (File.Exists(evals) && CsvSchema<EvalRow>.ReadAll(evals) is { Count: > 0 } evaluations)
                metrics.Add(("final_eval_return", evaluations[^1].MeanReturn));
            if (spec?.RewardThreshold is double threshold && LearningCurveMetrics.StepsToThreshold(ends, returns, threshold) is long reached)
                metrics.Add(("steps_to_threshold", reached));
            long? firstChange = spec?.FirstChangeWithin(settings.Steps);
            if (firstChange is long change)
            {
                ChangeResponse response = LearningCurveMetrics.Change(grid, curve, change, Math.Max(1, settings.Steps / 10));
                metrics.Add(("pre_change", response.PreChange));
                metrics.Add(("drop", response.Drop));
                if (response.RecoverySteps is long recovery) metrics.Add(("recovery_steps", recovery));
            }
            string diagnostics = Path.Combine(run.Folder, RunFolder.DiagnosticsFile);
            if (File.Exists(diagnostics) && CsvSchema<DiagnosticsRow>.ReadAll(diagnostics) is { Count: > 0 } rows)
                metrics.AddRange(DiagnosticsMetrics(rows, firstChange, Math.Max(1, settings.Steps / 10)));
            string command = ReproducingCommand(document);
            foreach ((string name, double? value) in metrics)
                table.Add(run.Agent, run.Env, run.Normalizer, run.Seed, name, value is double v && double.IsFinite(v) ? v : null, command);
        }
        return table;
    }

    /// <summary>
    /// A run's plasticity diagnostics as runs.csv metrics, each the mean over the run's hidden layers (of every network)
    /// at one measurement: <c>_final</c> at the last; on a non-stationary task also <c>_before_change</c> at the last
    /// measurement at or before the first change and <c>_after_change</c> at the last one within
    /// <paramref name="window"/> steps after it (where the drop is measured). For the τ = 0.025 dormant fraction
    /// (<c>dormant</c>), the effective rank and the weights' RMS distance from their initial values.
    /// </summary>
    public static IEnumerable<(string Name, double? Value)> DiagnosticsMetrics(IReadOnlyList<DiagnosticsRow> rows, long? change, long window)
    {
        var byStep = rows.GroupBy(r => r.GlobalStep).OrderBy(g => g.Key).ToList();
        (string Name, Func<DiagnosticsRow, double> Value)[] measures =
        [
            ("dormant", r => r.DormantFractionTau_0_025),
            ("effective_rank", r => r.EffectiveRank),
            ("weight_distance", r => r.WeightDistanceFromInitRms),
        ];
        var points = new List<(string Suffix, IGrouping<long, DiagnosticsRow>? At)> { ("final", byStep[^1]) };
        if (change is long c)
        {
            points.Add(("before_change", byStep.LastOrDefault(g => g.Key <= c)));
            points.Add(("after_change", byStep.LastOrDefault(g => g.Key > c && g.Key <= c + window)));
        }
        foreach ((string name, Func<DiagnosticsRow, double> value) in measures)
        {
            foreach ((string suffix, IGrouping<long, DiagnosticsRow>? at) in points)
                yield return ($"{name}_{suffix}", at?.Average(value));
        }
    }

    // The recorded command line without what only placed this copy of the run (--out) or fed a worker's display.
    private static string ReproducingCommand(JsonObject document)
    {
        string[] line = document["command_line"] is JsonArray a ? [.. a.Select(x => x!.GetValue<string>())] : [];
        var kept = new List<string>();
        for (int i = 0; i < line.Length; i++)
        {
            if (line[i] == "--out") { i++; continue; }
            if (line[i] == "--progress-json") continue;
            kept.Add(line[i].Contains(' ') || line[i].Contains('"') ? $"'{line[i]}'" : line[i]);
        }
        return string.Join(' ', kept);
    }

    // Strings as themselves, anything else as its JSON text.
    private static string Text(JsonNode value) => value is JsonValue v && v.GetValueKind() == JsonValueKind.String ? v.GetValue<string>() : value.ToJsonString();

    // Nested config keys as dotted paths (normalizer_options.complexity_decay).
    private static Dictionary<string, JsonNode?> Flatten(JsonObject config, string prefix = "")
    {
        var flat = new Dictionary<string, JsonNode?>();
        foreach (var (key, value) in config)
        {
            if (value is JsonObject child) foreach (var (k, v) in Flatten(child, prefix + key + ".")) flat[k] = v;
            else flat[prefix + key] = value;
        }
        return flat;
    }
}
