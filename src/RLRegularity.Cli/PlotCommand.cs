using System.CommandLine;
using System.Globalization;
using RLRegularity.Agents.Comparison;
using RLRegularity.Envs.Core;
using RLRegularity.Logging;
using RLRegularity.Plotting;
using RLRegularity.Records;
using RLRegularity.Statistics;

namespace RLRegularity.Cli;

/// <summary><c>rlreg plot</c>: learning curves with bands, the regularity probe, and the final-performance interval plot.</summary>
internal static class PlotCommand
{
    private const int GridPoints = 200;

    public static Command Build(CliContext context)
    {
        var folder = new Argument<string>("DIR") { Description = "A run folder or a comparison folder." };
        var metric = new Option<string>("--metric") { Description = "return, length, eval (evaluations during training), an updates.csv column, regularity, final (the IQM interval plot), " +
            "or a plasticity diagnostic of diagnostics.csv: dormant (τ = 0.025 dormant fraction), dormant_tau_0, dormant_tau_0.1, effective_rank, srank, " +
            "weight_rms, weight_distance (RMS distance from the initial weights), grad_norm (per layer for a run, mean over layers per normalizer for a comparison); or, for a study of several tasks, aggregate (rliable's IQM, median, mean and optimality gap across tasks) and profile (the performance profile).", DefaultValueFactory = _ => "return" };
        var smooth = new Option<int>("--smooth") { Description = "Rolling window (episodes, updates or probe rows) of each run's curve; diagnostics are drawn unsmoothed.", DefaultValueFactory = _ => 20, CustomParser = CliParsing.Int(1) };
        var output = new Option<string>("--out") { Description = "Output file (.png, .pdf or .svg). Default: DIR/plots/<metric>.png and .pdf, plus the final-IQM and regularity figures for a comparison." };
        var width = new Option<int>("--width") { Description = "Figure width in pixels at 96 dpi (a PDF keeps the size in inches).", DefaultValueFactory = _ => 1200, CustomParser = CliParsing.Int(100, 20_000) };
        var height = new Option<int>("--height") { Description = "Figure height in pixels at 96 dpi.", DefaultValueFactory = _ => 700, CustomParser = CliParsing.Int(100, 20_000) };
        var fontSize = new Option<double>("--font-size") { Description = "Text size of labels, ticks and legend (the title is 9/7 of it). Text is set in the shipped Liberation Sans on every machine.", DefaultValueFactory = _ => 14, CustomParser = CliParsing.PositiveDouble() };
        var command = new Command("plot", "Plot a run or a comparison: curves per normalizer with 95% bands and change markers, the regularity probe, final-IQM intervals.")
        {
            folder, metric, smooth, output, width, height, fontSize,
        };
        command.SetAction(parse =>
        {
            string dir = parse.GetValue(folder)!;
            if (!Directory.Exists(dir)) throw new CliUsageException($"'{dir}' does not exist");
            string what = parse.GetValue(metric)!;
            int window = parse.GetValue(smooth);
            string? outFile = parse.GetValue(output);
            var size = new FigureSize(parse.GetValue(width), parse.GetValue(height), parse.GetValue(fontSize));
            size.Validate();
            if (outFile is not null) OutputLocation.EnsureFileCanBeWritten(outFile, "--out");
            if (outFile is not null && !PlotExport.Extensions.Contains(Path.GetExtension(outFile).ToLowerInvariant()))
                throw new CliUsageException($"--out: '{outFile}' must end in {string.Join(", ", PlotExport.Extensions)}");
            else OutputLocation.EnsureFolderCanBeWritten(Path.Combine(dir, "plots"), $"cannot write the plots into '{dir}' (give --out FILE)");
            if (what is "aggregate" or "profile")
            {
                (string name, OxyPlot.PlotModel model) = what == "aggregate" ? ("aggregate", Aggregate(dir)) : ("profile", Profile(dir));
                foreach (string path in outFile is not null ? [outFile] : new[] { ".png", ".pdf" }.Select(ext => Path.Combine(dir, "plots", name + ext)))
                {
                    PlotExport.Save(model, path, size);
                    context.Output.WriteLine(path);
                }
                return 0;
            }
            Source source = Source.Load(dir, context);
            if (source.Study is { } study && RunWarnings.ForSeeds(study.Seeds.Length) is { } fewSeeds) context.Error.WriteLine($"warning: {fewSeeds}");
            var written = new List<string>();
            void Save(OxyPlot.PlotModel model, string name)
            {
                if (outFile is not null)
                {
                    PlotExport.Save(model, outFile, size);
                    written.Add(outFile);
                    return;
                }
                // SVG on request only: it carries the font inside (about 1.7 MB), where PNG and PDF are small.
                foreach (string ext in new[] { ".png", ".pdf" })
                {
                    string path = Path.Combine(dir, "plots", name + ext);
                    PlotExport.Save(model, path, size);
                    written.Add(path);
                }
            }
            switch (what)
            {
                case "final":
                    Save(FinalIntervals(source, dir), "final-iqm");
                    break;
                case "regularity":
                    Save(Regularity(source, window), "regularity");
                    break;
                case var name when DiagnosticsMetrics.ContainsKey(name):
                    Save(Diagnostics(source, name), name);
                    break;
                default:
                    Save(Curves(source, what, window), what);
                    if (outFile is null && what == "return" && source.IsComparison)
                    {
                        Save(FinalIntervals(source, dir), "final-iqm");
                        if (source.Runs.Values.SelectMany(r => r).Any(r => HasProbe(r.Folder))) Save(Regularity(source, window), "regularity");
                    }
                    break;
            }
            foreach (string path in written) context.Output.WriteLine(path);
            return 0;
        });
        return command;
    }

    /// <summary>The runs to plot, grouped by normalizer (a single run is one group).</summary>
    /// <param name="Subject">What was trained, e.g. "ppo on CartPole-v1".</param>
    /// <param name="Detail">Which runs and what the bands are, e.g. "5 seeds, IQM and 95% CI" or "seed 1".</param>
    /// <param name="Env">The environment id (for change markers).</param>
    /// <param name="Steps">Steps per run.</param>
    /// <param name="IsComparison">True for a comparison folder.</param>
    /// <param name="Runs">The readable runs by normalizer.</param>
    /// <param name="Study">The comparison's definition; null for a single run.</param>
    /// <param name="Episodes">The episode budget of the runs, if they had one: returns and lengths are then drawn over episodes.</param>
    private sealed record Source(string Subject, string Detail, string Env, long Steps, bool IsComparison, Dictionary<string, List<RunData>> Runs, ComparisonStudy? Study,
        long? Episodes = null)
    {
        /// <summary>The figure title: no nested parentheses, "1 seed" not "1 seeds".</summary>
        public string Title => $"{Subject}: {Detail}";

        /// <summary>The subtitle that says the bands are not 95% CIs, for comparisons of too few seeds; null otherwise.</summary>
        public string? Caveat => Study is null ? null : ComparisonReport.FewSeedsCaveat(Study.Seeds.Length);

        /// <summary>"1 seed", "3 seeds".</summary>
        public static string Seeds(int n) => n == 1 ? "1 seed" : $"{n} seeds";

        public static Source Load(string dir, CliContext context)
        {
            if (File.Exists(Path.Combine(dir, "study.json")))
            {
                StudyDefinition definition = StudyDefinition.Read(dir);
                if (!definition.IsSingleGroup)
                {
                    // One figure compares normalizers under one setting: a study of several groups is plotted group by group.
                    IReadOnlyList<StudyGroup> groups = definition.Groups();
                    throw new CliUsageException($"'{dir}' is a study of {groups.Count} groups; plot one group's folder, e.g. {Path.Combine(dir, groups[0].Folder)} " +
                                                $"(groups: {string.Join(", ", groups.Select(g => g.Folder))})");
                }
                ComparisonStudy study = definition.Groups()[0].Comparison;
                var runs = new Dictionary<string, List<RunData>>();
                foreach (string norm in study.Norms)
                {
                    runs[norm] = [];
                    foreach (long seed in study.Seeds)
                    {
                        try
                        {
                            runs[norm].Add(RunData.Read(ComparisonStudy.CellFolder(dir, norm, seed)));
                        }
                        catch (Exception e) when (e is InvalidDataException or IOException)
                        {
                            context.Error.WriteLine($"warning: {e.Message}; left out of the plot");
                        }
                    }
                    if (runs[norm].Count == 0) runs.Remove(norm);
                }
                if (runs.Count == 0) throw new CliUsageException($"no readable runs in the comparison '{dir}'");
                int n = study.Seeds.Length;
                string bands = n >= ComparisonReport.MinSeedsForIntervals ? "IQM and 95% CI" : n == 1 ? "single runs" : "IQM and bootstrap band";
                // An episode budget's steps are only a cap: step-axis figures end where the longest run ended.
                long horizon = study.Episodes is null ? study.Steps : runs.Values.SelectMany(r => r).Max(r => r.EndSteps[^1]);
                return new Source($"{study.Agent} on {study.Env}", $"{Seeds(n)}, {bands}", study.Env, horizon, true, runs, study, study.Episodes);
            }
            RunData run = RunData.Read(dir);
            string norm1 = Agents.Common.AgentFactory.NormalizerOf(run.AgentConfig);
            return new Source($"{run.Settings.Agent} on {run.Settings.Env}", $"seed {run.Settings.Seed}", run.Settings.Env,
                run.Settings.Episodes is null ? run.Settings.Steps : run.EndSteps[^1], false,
                new Dictionary<string, List<RunData>> { [norm1] = [run] }, null, run.Settings.Episodes);
        }
    }

    // The cross-task report of a study of several groups (tasks); anything else is a usage error naming what is needed.
    private static (CrossTaskReport Report, string Subject) CrossTask(string dir)
    {
        if (!File.Exists(Path.Combine(dir, StudyDefinition.StudyFile)))
            throw new CliUsageException($"--metric aggregate and profile need a study of several tasks (a folder with {StudyDefinition.StudyFile}); '{dir}' is not a study");
        StudyDefinition study = StudyDefinition.Read(dir);
        var reports = StudyManifest.ReportsOf(dir, study); // a figure reads the study; it writes nothing into it
        var parts = CrossTaskReport.BuildPerSetting(reports);
        if (parts.Count == 0)
            throw new CliUsageException($"'{dir}' has {reports.Count} group(s); aggregates across tasks need at least two groups that differ only in their env (tasks), comparing the same normalizers, each with finished runs");
        if (parts.Count > 1)
            throw new CliUsageException($"'{dir}' varies more than its env ({string.Join("; ", parts.Select(p => string.Join(", ", p.Fixed.Select(a => $"{a.Key}={a.Value}"))))}): its summary.md has the aggregates of each setting; a figure draws one study of tasks");
        CrossTaskReport report = parts[0].Report;
        string seeds = ComparisonReport.FewSeedsCaveat(study.Seeds.Length) is null ? $"{study.Seeds.Length} seeds" : $"{study.Seeds.Length} seeds (too few for CIs)";
        string subject = $"{string.Join("/", study.Agents)} on {report.Tasks.Count} tasks, {seeds}";
        return (report, subject);
    }

    private static OxyPlot.PlotModel Aggregate(string dir)
    {
        (CrossTaskReport report, string subject) = CrossTask(dir);
        var rows = new List<IntervalRow>();
        foreach ((string metric, _) in AggregateMetrics.All)
        {
            for (int n = 0; n < report.Normalizers.Count; n++)
            {
                CrossTaskSummary s = report.Normalizers[n];
                ConfidenceInterval ci = s.Aggregates.First(a => a.Name == metric).Interval;
                rows.Add(new IntervalRow($"{metric}: {s.Norm}", ci.Estimate, ci.Lower, ci.Upper, Color: n)); // a normalizer keeps its colour
            }
        }
        return PlotModels.Intervals($"{subject}: normalized score, 95% CIs", "normalized score (0 random policy, 1 reward threshold; optimality gap: lower is better)", rows);
    }

    private static OxyPlot.PlotModel Profile(string dir)
    {
        (CrossTaskReport report, string subject) = CrossTask(dir);
        double[] taus = CrossTaskReport.ProfileTaus;
        var series = report.Normalizers.Select(s => new PlotSeries(s.Norm, taus, [.. s.Profile.Select(p => p.Estimate)], [.. s.Profile.Select(p => p.Lower)], [.. s.Profile.Select(p => p.Upper)])).ToList();
        return PlotModels.Curves($"{subject}: performance profile", "normalized score τ", "fraction of runs with score > τ", series, [], xFormat: "0.0#");
    }

    private static List<(double, string)> Markers(Source source)
    {
        if (!EnvRegistry.Contains(source.Env) || EnvRegistry.Spec(source.Env).Change is not { } change) return [];
        return [.. change.Schedule.ChangePoints(source.Steps).Select(s => ((double)s, "change: " + change.What))];
    }

    private static OxyPlot.PlotModel Curves(Source source, string metric, int window)
    {
        // Runs with an episode budget (the paper's protocol) are read over episodes, as their budget counts them.
        if (source.Episodes is long episodes && metric is "return" or "length")
        {
            long[] episodeGrid = LearningCurveMetrics.Grid(episodes, GridPoints);
            var episodeSeries = new List<PlotSeries>();
            foreach (var (norm, runs) in source.Runs)
            {
                var curves = runs.Select(r => r.OverEpisodes()).Select(r => LearningCurveMetrics.OnGrid(r.EndSteps, metric == "return" ? r.Returns : r.Lengths, episodeGrid, window)).ToList();
                episodeSeries.Add(ToSeries(norm, episodeGrid, curves));
            }
            string title = metric == "return" ? $"episode return ({window}-episode moving average)" : $"episode length ({window}-episode moving average)";
            return WithCaveat(PlotModels.Curves(source.Title, "episodes", title, episodeSeries, []), source);
        }
        long[] grid = LearningCurveMetrics.Grid(source.Steps, GridPoints);
        var series = new List<PlotSeries>();
        foreach (var (norm, runs) in source.Runs)
        {
            var curves = runs.Select(r => metric switch
            {
                "return" => LearningCurveMetrics.OnGrid(r.EndSteps, r.Returns, grid, window),
                "length" => LearningCurveMetrics.OnGrid(r.EndSteps, r.Lengths, grid, window),
                "eval" => EvalCurve(r.Folder, grid),
                _ => UpdatesColumnCurve(r.Folder, metric, grid, window),
            }).ToList();
            series.Add(ToSeries(norm, grid, curves));
        }
        string yTitle = metric switch { "return" => "episode return", "length" => "episode length (steps)", "eval" => "evaluation return (greedy)", _ => metric };
        return WithCaveat(PlotModels.Curves(source.Title, "environment steps", yTitle, series, Markers(source)), source);
    }

    private static PlotSeries ToSeries(string name, long[] grid, List<double[]> curves)
    {
        double[] x = [.. grid.Select(g => (double)g)];
        if (curves.Count == 1) return new PlotSeries(name, x, curves[0], [.. curves[0].Select(_ => double.NaN)], [.. curves[0].Select(_ => double.NaN)]);
        var (center, lower, upper) = CurveAggregate.Aggregate(curves);
        return new PlotSeries(name, x, center, lower, upper);
    }

    // The latest evaluation's mean return at each grid step (evals.csv, written with --eval-every).
    private static double[] EvalCurve(string folder, long[] grid)
    {
        string path = Path.Combine(folder, "evals.csv");
        if (!File.Exists(path)) throw new CliUsageException($"--metric eval: '{folder}' has no evals.csv (train with --eval-every N)");
        List<EvalRow> rows = CsvSchema<EvalRow>.ReadAll(path);
        return LearningCurveMetrics.OnGrid([.. rows.Select(r => r.GlobalStep)], [.. rows.Select(r => r.MeanReturn)], grid, 1);
    }

    private static double[] UpdatesColumnCurve(string folder, string column, long[] grid, int window)
    {
        UpdatesTable updates = UpdatesTable.Read(Path.Combine(folder, "updates.csv"));
        if (!updates.Metrics.Contains(column))
            throw new CliUsageException($"--metric: '{column}' is not return, length, eval, regularity, final, a diagnostic ({string.Join(", ", DiagnosticsMetrics.Keys)}) " +
                                        $"or a column of updates.csv ({string.Join(", ", updates.Metrics)})");
        double[] values = updates.Column(column);
        var finite = Enumerable.Range(0, values.Length).Where(i => double.IsFinite(values[i])).ToArray();
        return LearningCurveMetrics.OnGrid([.. finite.Select(i => updates.GlobalSteps[i])], [.. finite.Select(i => values[i])], grid, window);
    }

    private static bool HasProbe(string folder)
    {
        string path = Path.Combine(folder, "regularity.csv");
        return File.Exists(path) && File.ReadLines(path).Skip(1).Any();
    }

    private static OxyPlot.PlotModel Regularity(Source source, int window)
    {
        long[] grid = LearningCurveMetrics.Grid(source.Steps, GridPoints);
        var series = new List<PlotSeries>();
        foreach (var (norm, runs) in source.Runs)
        {
            var byLayer = new SortedDictionary<string, List<double[]>>(StringComparer.Ordinal);
            foreach (RunData run in runs)
            {
                string path = Path.Combine(run.Folder, "regularity.csv");
                if (!File.Exists(path)) continue;
                var rows = CsvSchema<RegularityRow>.ReadAll(path).Where(r => r.CodeLength is not null)
                    .Select(r => (Step: r.GlobalStep, r.Layer, Length: r.CodeLength!.Value));
                foreach (var layer in rows.GroupBy(r => r.Layer))
                {
                    var list = layer.ToList();
                    double[] curve = LearningCurveMetrics.OnGrid([.. list.Select(r => r.Step)], [.. list.Select(r => r.Length)], grid, window);
                    if (!byLayer.TryGetValue(layer.Key, out var curves)) byLayer[layer.Key] = curves = [];
                    curves.Add(curve);
                }
            }
            foreach (var (layer, curves) in byLayer)
                series.Add(ToSeries(source.IsComparison ? $"{norm} · {layer}" : layer, grid, curves));
        }
        if (series.Count == 0) throw new CliUsageException("no regularity probe data: none of the runs has an RN-family layer (rn, rln, rnln, rnr, probe)");
        return WithCaveat(PlotModels.Curves($"Regularity probe, code length per layer: {source.Subject}, {source.Detail}", "environment steps", "code length l (nats)", series, Markers(source)), source);
    }

    /// <summary>The plasticity diagnostics <c>--metric</c> takes: name → (diagnostics.csv column, axis title).</summary>
    private static readonly Dictionary<string, (string Column, string Title)> DiagnosticsMetrics = new(StringComparer.Ordinal)
    {
        ["dormant"] = ("dormant_fraction_tau_0_025", "fraction of τ-dormant units (τ = 0.025)"),
        ["dormant_tau_0"] = ("dormant_fraction_tau_0", "fraction of dead units (τ = 0)"),
        ["dormant_tau_0.1"] = ("dormant_fraction_tau_0_1", "fraction of τ-dormant units (τ = 0.1)"),
        ["effective_rank"] = ("effective_rank", "effective rank of the features"),
        ["srank"] = ("srank_99", "srank (99% of the singular values' sum)"),
        ["weight_rms"] = ("weight_rms", "RMS of the incoming weights"),
        ["weight_distance"] = ("weight_distance_from_init_rms", "RMS distance of the weights from their initial values"),
        ["grad_norm"] = ("grad_norm", "gradient norm of the layer's weights (before clipping)"),
    };

    private static double DiagnosticsValue(DiagnosticsRow row, string column) => column switch
    {
        "dormant_fraction_tau_0" => row.DormantFractionTau_0,
        "dormant_fraction_tau_0_025" => row.DormantFractionTau_0_025,
        "dormant_fraction_tau_0_1" => row.DormantFractionTau_0_1,
        "effective_rank" => row.EffectiveRank,
        "srank_99" => row.Srank_99,
        "weight_rms" => row.WeightRms,
        "weight_distance_from_init_rms" => row.WeightDistanceFromInitRms,
        _ => row.GradNorm,
    };

    // A single run: one curve per network layer. A comparison: each run's mean over its layers, one curve per normalizer
    // with the usual bands over seeds. Change markers as the return curves draw them.
    private static OxyPlot.PlotModel Diagnostics(Source source, string metric)
    {
        (string column, string title) = DiagnosticsMetrics[metric];
        long[] grid = LearningCurveMetrics.Grid(source.Steps, GridPoints);
        var series = new List<PlotSeries>();
        foreach (var (norm, runs) in source.Runs)
        {
            var meanCurves = new List<double[]>();
            foreach (RunData run in runs)
            {
                string path = Path.Combine(run.Folder, "diagnostics.csv");
                if (!File.Exists(path)) throw new CliUsageException($"--metric {metric}: '{run.Folder}' has no diagnostics.csv (it was trained with diagnostics_every=0)");
                List<DiagnosticsRow> rows = CsvSchema<DiagnosticsRow>.ReadAll(path);
                if (!source.IsComparison)
                {
                    foreach (var layer in rows.GroupBy(r => $"{r.Network}.{r.Layer}"))
                        series.Add(ToSeries(layer.Key, grid, [LearningCurveMetrics.OnGrid([.. layer.Select(r => r.GlobalStep)], [.. layer.Select(r => DiagnosticsValue(r, column))], grid, 1)]));
                    continue;
                }
                var byStep = rows.GroupBy(r => r.GlobalStep).ToList();
                meanCurves.Add(LearningCurveMetrics.OnGrid([.. byStep.Select(g => g.Key)], [.. byStep.Select(g => g.Average(r => DiagnosticsValue(r, column)))], grid, 1));
            }
            if (source.IsComparison && meanCurves.Count > 0) series.Add(ToSeries(norm, grid, meanCurves));
        }
        if (series.Count == 0) throw new CliUsageException($"--metric {metric}: diagnostics.csv has no rows yet");
        string what = source.IsComparison ? $"{title}, mean over layers" : $"{title}, per layer";
        return WithCaveat(PlotModels.Curves($"Plasticity: {source.Subject}, {source.Detail}", "environment steps", what, series, Markers(source)), source);
    }

    private static OxyPlot.PlotModel FinalIntervals(Source source, string dir)
    {
        if (source.Study is null) throw new CliUsageException("--metric final needs a comparison folder (one made by rlreg compare)");
        ComparisonReport report = ComparisonReport.Build(dir, source.Study);
        var rows = report.Normalizers.Select(s => new IntervalRow(s.Norm, s.FinalIqm.Estimate, s.FinalIqm.Lower, s.FinalIqm.Upper)).ToList();
        string interval = source.Caveat is null ? "IQM with 95% CI" : "IQM with bootstrap interval";
        string measure = source.Study.Episodes is long episodes ? $"{ComparisonReport.FinalEpisodesWindow}-episode moving average of the return at episode {episodes:N0}" : "mean return over the last 10% of steps";
        return WithCaveat(PlotModels.Intervals($"Final performance, {interval}: {source.Subject}, {Source.Seeds(source.Study.Seeds.Length)}", measure, rows), source);
    }

    private static OxyPlot.PlotModel WithCaveat(OxyPlot.PlotModel model, Source source)
    {
        if (source.Caveat is { } caveat) model.Subtitle = "warning: " + caveat;
        return model;
    }
}
