using System.Globalization;
using System.Text;
using System.Text.Json.Nodes;
using RLRegularity.Agents.Common;
using RLRegularity.Envs.Core;
using RLRegularity.Statistics;

namespace RLRegularity.Agents.Comparison;

/// <summary>How one normalizer responded to the task's change, over its runs.</summary>
/// <param name="PreChange">Mean (with CI) of the pre-change level.</param>
/// <param name="Drop">Mean (with CI) of the drop after the change.</param>
/// <param name="Recovered">Runs that got back within 10% of their pre-change level.</param>
/// <param name="MedianRecoverySteps">Median recovery steps of the runs that recovered, or null.</param>
public sealed record ChangeSummary(ConfidenceInterval PreChange, ConfidenceInterval Drop, int Recovered, double? MedianRecoverySteps);

/// <summary>How one normalizer's greedy policies scored in the runs' evaluations (train --eval-every).</summary>
/// <param name="Runs">Runs with at least one evaluation.</param>
/// <param name="FinalScores">Per-run mean return of the last evaluation, in seed order.</param>
/// <param name="FinalIqm">IQM with its 95% stratified bootstrap CI.</param>
/// <param name="FinalMean">Mean with its CI.</param>
/// <param name="ImprovementOverBaseline">P(better than the baseline's evaluations), with CI; null for the baseline.</param>
public sealed record EvaluationSummary(int Runs, double[] FinalScores, ConfidenceInterval FinalIqm, ConfidenceInterval FinalMean, ConfidenceInterval? ImprovementOverBaseline);

/// <summary>The aggregate results of one normalizer.</summary>
/// <param name="Norm">The normalizer.</param>
/// <param name="Runs">Runs that could be read.</param>
/// <param name="FinalScores">Per-run final performance (mean return over the last 10% of steps), in seed order.</param>
/// <param name="FinalIqm">IQM of the final performance with its 95% stratified bootstrap CI.</param>
/// <param name="FinalMean">Mean of the final performance with its CI.</param>
/// <param name="Auc">Mean normalized area under the learning curve with its CI.</param>
/// <param name="Threshold">The return threshold used for steps-to-threshold (the environment's), or null.</param>
/// <param name="ReachedThreshold">Runs whose curve reached the threshold.</param>
/// <param name="MedianStepsToThreshold">Median steps to the threshold over the runs that reached it.</param>
/// <param name="Change">Response to the task's change (non-stationary tasks only).</param>
/// <param name="ImprovementOverBaseline">P(this normalizer's final performance &gt; the baseline's), with CI; null for the baseline.</param>
/// <param name="Evaluation">The greedy evaluations' final scores, when the runs were evaluated during training.</param>
public sealed record NormalizerSummary(string Norm, int Runs, double[] FinalScores, ConfidenceInterval FinalIqm, ConfidenceInterval FinalMean,
    ConfidenceInterval Auc, double? Threshold, int ReachedThreshold, double? MedianStepsToThreshold, ChangeSummary? Change,
    ConfidenceInterval? ImprovementOverBaseline, EvaluationSummary? Evaluation = null);

/// <summary>
/// The statistics of a comparison (rliable's protocol): per normalizer, final performance as IQM and mean with 95%
/// stratified bootstrap CIs, the normalized area under the learning curve, steps to the environment's threshold, the
/// response to the task's change, and the probability of improvement over the baseline. Everything is a function of
/// the runs' episodes and fixed bootstrap seeds, so the same runs always give the same report.
/// </summary>
public sealed record ComparisonReport(ComparisonStudy Study, IReadOnlyList<NormalizerSummary> Normalizers, IReadOnlyList<string> Problems, long? ChangeStep)
{
    /// <summary>Seed of every bootstrap of the report.</summary>
    public const long BootstrapSeed = RunsReport.BootstrapSeed;

    /// <summary>Bootstrap replicates.</summary>
    public const int Replicates = RunsReport.Replicates;

    /// <summary>Points of the common step grid.</summary>
    public const int GridPoints = 100;

    /// <summary>Episodes of the final moving average that scores a run with an episode budget (the paper's MA-50, SPEC 8.1).</summary>
    public const int FinalEpisodesWindow = 50;

    /// <summary>Episodes in the rolling mean that defines a run's learning curve.</summary>
    public const int CurveWindow = 20;

    /// <summary>
    /// Reads every cell of <paramref name="folder"/>; unreadable cells are listed in <see cref="Problems"/> and left out,
    /// with their paths relative to <paramref name="relativeTo"/> (default: <paramref name="folder"/>), so that the report
    /// does not depend on where the study folder is.
    /// </summary>
    public static ComparisonReport Build(string folder, ComparisonStudy study, string? relativeTo = null)
    {
        string root = Path.GetFullPath(relativeTo ?? folder);
        var problems = new List<string>();
        EnvSpec? spec = EnvRegistry.Contains(study.Env) ? EnvRegistry.Spec(study.Env) : null;
        // An episode budget puts every curve on an episode axis; the task's changes are scheduled in steps, so the
        // change response is measured only for step budgets.
        bool byEpisode = study.Episodes is not null;
        long horizon = study.Episodes ?? study.Steps;
        long? changeStep = byEpisode ? null : spec?.FirstChangeWithin(study.Steps);
        long[] grid = LearningCurveMetrics.Grid(horizon, GridPoints);
        var runsByNorm = new Dictionary<string, List<RunData>>();
        foreach (string norm in study.Norms)
        {
            var runs = new List<RunData>();
            foreach (long seed in study.Seeds)
            {
                string cell = ComparisonStudy.CellFolder(folder, norm, seed);
                try
                {
                    RunData run = RunData.Read(cell);
                    runs.Add(byEpisode ? run.OverEpisodes() : run);
                }
                catch (Exception e) when (e is InvalidDataException or IOException or FormatException)
                {
                    problems.Add(e.Message.Replace(Path.GetFullPath(cell), Path.GetRelativePath(root, Path.GetFullPath(cell))).Replace(cell, Path.GetRelativePath(root, Path.GetFullPath(cell))));
                }
            }
            runsByNorm[norm] = runs;
        }

        // Per-run final performance; NaN where no episode ended in the last 10% of steps (filtered by Finite).
        double[][] Scores(string norm) => [[.. runsByNorm[norm].Select(r => byEpisode
            ? LearningCurveMetrics.FinalMovingAverage(r.Returns, FinalEpisodesWindow)
            : LearningCurveMetrics.FinalPerformance(r.EndSteps, r.Returns, study.Steps))]];

        var summaries = new List<NormalizerSummary>();
        string baseline = study.Baseline;
        double[][] EvalScores(string norm) => [[.. runsByNorm[norm].Select(r => r.FinalEvaluation).Where(double.IsFinite)]];
        double[][]? baselineEvals = runsByNorm[baseline].Count > 0 ? EvalScores(baseline) : null;
        double[][]? baselineScores = runsByNorm[baseline].Count > 0 ? Finite(Scores(baseline)) : null;
        foreach (string norm in study.Norms)
        {
            List<RunData> runs = runsByNorm[norm];
            if (runs.Count == 0)
            {
                problems.Add($"{norm}: no readable runs; left out of the report");
                continue;
            }
            double[][] scores = Finite(Scores(norm));
            if (scores[0].Length == 0)
            {
                problems.Add($"{norm}: no run finished an episode in the last 10% of its {(byEpisode ? "episodes" : "steps")}; left out of the report");
                continue;
            }
            ConfidenceInterval iqm = RunsReport.Iqm(scores[0]), mean = RunsReport.Mean(scores[0]);
            var curves = runs.Select(r => LearningCurveMetrics.OnGrid(r.EndSteps, r.Returns, grid, CurveWindow)).ToList();
            double[][] areas = [[.. curves.Select(curve => LearningCurveMetrics.NormalizedArea(grid, curve)).Where(double.IsFinite)]];
            var auc = areas[0].Length > 0
                ? RunsReport.Mean(areas[0])
                : new ConfidenceInterval(double.NaN, double.NaN, double.NaN, 0.95);
            double? threshold = spec?.RewardThreshold;
            var reached = threshold is double t
                ? runs.Select(r => LearningCurveMetrics.StepsToThreshold(r.EndSteps, r.Returns, t)).Where(s => s is not null).Select(s => (double)s!.Value).ToArray()
                : [];
            ChangeSummary? change = null;
            if (changeStep is long cs)
            {
                long window = Math.Max(1, study.Steps / 10);
                var responses = curves.Select(curve => LearningCurveMetrics.Change(grid, curve, cs, window)).ToList();
                double[][] pre = [[.. responses.Select(r => r.PreChange).Where(double.IsFinite)]];
                double[][] drop = [[.. responses.Select(r => r.Drop).Where(double.IsFinite)]];
                var recovered = responses.Where(r => r.RecoverySteps is not null).Select(r => (double)r.RecoverySteps!.Value).ToArray();
                change = new ChangeSummary(MeanInterval(pre), MeanInterval(drop), recovered.Length,
                    recovered.Length > 0 ? RobustStatistics.Percentile(recovered, 50) : null);
            }
            ConfidenceInterval? improvement = norm != baseline && baselineScores is { } b && b[0].Length > 0 ? RunsReport.Improvement(scores[0], b[0]) : null;
            double[][] evals = EvalScores(norm);
            EvaluationSummary? evaluation = evals[0].Length == 0 ? null : new EvaluationSummary(evals[0].Length, evals[0],
                RunsReport.Iqm(evals[0]), RunsReport.Mean(evals[0]),
                norm != baseline && baselineEvals is { } be && be[0].Length > 0 ? RunsReport.Improvement(evals[0], be[0]) : null);
            summaries.Add(new NormalizerSummary(norm, runs.Count, scores[0], iqm, mean, auc, threshold, reached.Length,
                reached.Length > 0 ? RobustStatistics.Percentile(reached, 50) : null, change, improvement, evaluation));
        }
        return new ComparisonReport(study, summaries, problems, changeStep);
    }

    private static double[][] Finite(double[][] scores) => [[.. scores[0].Where(double.IsFinite)]];

    private static ConfidenceInterval MeanInterval(double[][] values) => values[0].Length > 0
        ? RunsReport.Mean(values[0])
        : new ConfidenceInterval(double.NaN, double.NaN, double.NaN, 0.95);

    /// <summary>The report as JSON (summary.json).</summary>
    public JsonObject ToJson()
    {
        static JsonNode? Num(double v) => double.IsFinite(v) ? JsonValue.Create(Math.Round(v, 6)) : null;
        static JsonObject Ci(ConfidenceInterval ci) => new() { ["estimate"] = Num(ci.Estimate), ["lower"] = Num(ci.Lower), ["upper"] = Num(ci.Upper), ["level"] = ci.Level };
        var norms = new JsonObject();
        foreach (NormalizerSummary s in Normalizers)
        {
            var entry = new JsonObject
            {
                ["runs"] = s.Runs,
                ["final_scores"] = new JsonArray([.. s.FinalScores.Select(Num)]),
                ["final_iqm"] = Ci(s.FinalIqm),
                ["final_mean"] = Ci(s.FinalMean),
                ["auc_mean"] = Ci(s.Auc),
                ["threshold"] = s.Threshold,
                ["runs_reaching_threshold"] = s.ReachedThreshold,
                ["median_steps_to_threshold"] = s.MedianStepsToThreshold,
                ["probability_of_improvement_over_baseline"] = s.ImprovementOverBaseline is { } poi ? Ci(poi) : null,
            };
            if (s.Evaluation is { } ev)
            {
                entry["evaluation"] = new JsonObject
                {
                    ["runs"] = ev.Runs,
                    ["final_scores"] = new JsonArray([.. ev.FinalScores.Select(Num)]),
                    ["final_iqm"] = Ci(ev.FinalIqm),
                    ["final_mean"] = Ci(ev.FinalMean),
                    ["probability_of_improvement_over_baseline"] = ev.ImprovementOverBaseline is { } p ? Ci(p) : null,
                };
            }
            if (s.Change is { } c)
            {
                entry["change"] = new JsonObject
                {
                    ["pre_change"] = Ci(c.PreChange),
                    ["drop"] = Ci(c.Drop),
                    ["runs_recovered"] = c.Recovered,
                    ["median_recovery_steps"] = c.MedianRecoverySteps,
                };
            }
            norms[s.Norm] = entry;
        }
        return new JsonObject
        {
            ["agent"] = Study.Agent,
            ["env"] = Study.Env,
            ["steps"] = Study.Steps,
            ["episodes"] = Study.Episodes,
            ["epsilon_carryover"] = Study.EpsilonCarryover,
            ["eval_every"] = Study.EvalEvery,
            ["seeds"] = new JsonArray([.. Study.Seeds.Select(s => JsonValue.Create(s))]),
            ["preset"] = Study.Preset,
            ["overrides"] = new JsonArray([.. Study.Overrides.Select(o => JsonValue.Create(o))]),
            ["baseline"] = Study.Baseline,
            ["change_step"] = ChangeStep,
            ["method"] = $"{FinalDefinition}; IQM and mean with 95% stratified bootstrap percentile CIs ({Replicates} replicates, seed {BootstrapSeed}); AUC = mean of the {CurveWindow}-episode rolling-mean curve over a {GridPoints}-point grid of {Axis}" +
                          (Study.Episodes is null ? "" : $"; threshold columns count episodes, not steps"),
            ["normalizers"] = norms,
            ["problems"] = new JsonArray([.. Problems.Select(p => JsonValue.Create(p))]),
        };
    }

    /// <summary>The paper's standard error of the mean: the population standard deviation (numpy's default, ddof 0)
    /// divided by √n.</summary>
    public static double StandardError(IReadOnlyList<double> values) => RunsReport.StandardError(values);

    /// <summary>How a run's final performance is defined in this report.</summary>
    public string FinalDefinition => Study.Episodes is long n
        ? $"final performance = the {FinalEpisodesWindow}-episode moving average of the return at episode {n:N0} (the mean of the last {FinalEpisodesWindow} returns, the paper's metric)"
        : "final performance = mean return of episodes ending in the last 10% of steps";

    // The time axis of curves, AUC and thresholds.
    private string Axis => Study.Episodes is null ? "steps" : "episodes";

    /// <summary>
    /// A return-like number for tables: one decimal from 10 up (CartPole's hundreds), three below (MiniGrid's returns in
    /// [0, 1], where one decimal would print 0.963 and 0.912 alike); "–" when not finite.
    /// </summary>
    public static string FormatValue(double v) =>
        !double.IsFinite(v) ? "–" : v.ToString(Math.Abs(v) >= 10 ? "F1" : "F3", CultureInfo.InvariantCulture);

    /// <summary>The fewest seeds whose bootstrap intervals deserve to be called 95% confidence intervals.</summary>
    public const int MinSeedsForIntervals = 5;

    /// <summary>
    /// What an interval over <paramref name="seeds"/> runs per normalizer is worth when there are fewer than
    /// <see cref="MinSeedsForIntervals"/>: a bootstrap can only resample the runs it has, so its "95% CI" lies within their
    /// min–max (with 2 seeds it is the min–max). Null for enough seeds.
    /// </summary>
    public static string? FewSeedsNote(int seeds) => seeds >= MinSeedsForIntervals ? null
        : seeds == 1 ? "Only 1 seed per normalizer: there are no intervals, and one run says little about a normalizer."
        : $"Only {seeds} seeds per normalizer: the intervals are not confidence intervals worth the name; a bootstrap over {seeds} runs " +
          $"only resamples them, so its \"95% CI\" lies within their min–max.";

    /// <summary>A short form of <see cref="FewSeedsNote"/> for a table caption or a figure's subtitle; null for enough seeds.</summary>
    public static string? FewSeedsCaveat(int seeds) => seeds >= MinSeedsForIntervals ? null
        : seeds == 1 ? "one run per normalizer: no interval"
        : $"with {seeds} seeds the intervals lie within the runs' min–max; they are not 95% CIs";

    /// <summary>The report as a Markdown document (summary.md).</summary>
    public string ToMarkdown()
    {
        static string F(double v) => FormatValue(v);
        static string Ci(ConfidenceInterval c) => $"{F(c.Estimate)} [{F(c.Lower)}, {F(c.Upper)}]";
        var md = new StringBuilder();
        md.AppendLine($"# {Study.Agent} on {Study.Env}: {string.Join(", ", Study.Norms)}");
        md.AppendLine();
        string budget = Study.Episodes is long episodes ? $"{episodes:N0} episodes (at most {Study.Steps:N0} steps)" : $"{Study.Steps:N0} steps";
        string protocol = Study.EpsilonCarryover ? " Paper protocol: ε is not reset between runs, so only the first seed explores from ε-start; the others start at ε-end." : "";
        md.AppendLine($"{Study.Seeds.Length} seed{(Study.Seeds.Length == 1 ? "" : "s")} × {budget}, preset `{Study.Preset}`{(Study.Overrides.Length > 0 ? ", overrides `" + string.Join(" ", Study.Overrides) + "`" : "")}.{protocol} " +
                      $"{char.ToUpperInvariant(FinalDefinition[0])}{FinalDefinition[1..]}; intervals are 95% stratified bootstrap CIs (rliable's method).");
        md.AppendLine();
        if (FewSeedsNote(Study.Seeds.Length) is { } few)
        {
            md.AppendLine($"> **Warning:** {few}");
            md.AppendLine();
        }
        md.AppendLine("| normalizer | runs | final IQM [95% CI] | final mean [95% CI] | AUC mean [95% CI] | reached threshold | median " + Axis + " to threshold | P(better than " + Study.Baseline + ") [95% CI] |");
        md.AppendLine("| --- | --- | --- | --- | --- | --- | --- | --- |");
        foreach (NormalizerSummary s in Normalizers)
        {
            string poi = s.ImprovementOverBaseline is { } p ? $"{p.Estimate:F2} [{p.Lower:F2}, {p.Upper:F2}]" : "baseline";
            md.AppendLine($"| {s.Norm} | {s.Runs} | {Ci(s.FinalIqm)} | {Ci(s.FinalMean)} | {Ci(s.Auc)} | {s.ReachedThreshold}/{s.Runs} | {(s.MedianStepsToThreshold is double m ? m.ToString("N0", CultureInfo.InvariantCulture) : "–")} | {poi} |");
        }
        if (Study.Episodes is not null)
        {
            // The paper's own statistic, for comparison with its table: mean ± SEM with SEM = population std / √n.
            md.AppendLine();
            md.AppendLine("As the paper reports it (two decimals): mean ± SEM of the final score, SEM = population standard deviation / √n.");
            md.AppendLine();
            md.AppendLine("| normalizer | runs | mean ± SEM |");
            md.AppendLine("| --- | --- | --- |");
            foreach (NormalizerSummary s in Normalizers)
                md.AppendLine($"| {s.Norm} | {s.FinalScores.Length} | {RobustStatistics.Mean(s.FinalScores).ToString("F2", CultureInfo.InvariantCulture)} ± {StandardError(s.FinalScores).ToString("F2", CultureInfo.InvariantCulture)} |");
        }
        if (Normalizers.Any(s => s.Evaluation is not null))
        {
            md.AppendLine();
            md.AppendLine($"Greedy evaluations on a separate environment copy every {Study.EvalEvery:N0} steps; a run's score is the mean return of its last evaluation.");
            md.AppendLine();
            md.AppendLine("| normalizer | evaluated runs | final evaluation IQM [95% CI] | final evaluation mean [95% CI] | P(better than " + Study.Baseline + ") [95% CI] |");
            md.AppendLine("| --- | --- | --- | --- | --- |");
            foreach (NormalizerSummary s in Normalizers.Where(s => s.Evaluation is not null))
            {
                EvaluationSummary e = s.Evaluation!;
                string poi = e.ImprovementOverBaseline is { } p ? $"{p.Estimate:F2} [{p.Lower:F2}, {p.Upper:F2}]" : "baseline";
                md.AppendLine($"| {s.Norm} | {e.Runs}/{s.Runs} | {Ci(e.FinalIqm)} | {Ci(e.FinalMean)} | {poi} |");
            }
        }
        if (ChangeStep is long change)
        {
            md.AppendLine();
            md.AppendLine($"The task changes at step {change:N0}.");
            md.AppendLine();
            md.AppendLine("| normalizer | pre-change level [95% CI] | drop after the change [95% CI] | recovered to 90% | median recovery steps |");
            md.AppendLine("| --- | --- | --- | --- | --- |");
            foreach (NormalizerSummary s in Normalizers.Where(s => s.Change is not null))
            {
                ChangeSummary c = s.Change!;
                md.AppendLine($"| {s.Norm} | {Ci(c.PreChange)} | {Ci(c.Drop)} | {c.Recovered}/{s.Runs} | {(c.MedianRecoverySteps is double r ? r.ToString("N0", CultureInfo.InvariantCulture) : "–")} |");
            }
        }
        if (Problems.Count > 0)
        {
            md.AppendLine();
            md.AppendLine("Problems:");
            foreach (string p in Problems) md.AppendLine($"- {p}");
        }
        return md.ToString();
    }
}
