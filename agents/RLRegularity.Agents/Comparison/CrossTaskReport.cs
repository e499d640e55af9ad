using System.Globalization;
using System.Text;
using System.Text.Json.Nodes;
using RLRegularity.Envs.Core;
using RLRegularity.Statistics;

namespace RLRegularity.Agents.Comparison;

/// <summary>How one task's final scores are put on a common scale: 0 is a uniformly random policy, 1 the reference.</summary>
/// <param name="Task">The group's title (its env and other axes).</param>
/// <param name="Env">The environment id.</param>
/// <param name="Random">Mean return of a uniformly random policy (<see cref="CrossTaskReport.RandomEpisodes"/> seeded episodes).</param>
/// <param name="Reference">The env's reward threshold, or the best run's final score where the env has none.</param>
/// <param name="ReferenceIsThreshold">True when <paramref name="Reference"/> is the env's threshold.</param>
public sealed record TaskNormalization(string Task, string Env, double Random, double Reference, bool ReferenceIsThreshold)
{
    /// <summary>A final score on the common scale.</summary>
    public double Normalize(double score) => (score - Random) / (Reference - Random);
}

/// <summary>One normalizer's aggregates over the tasks of a study, with their performance profile.</summary>
/// <param name="Norm">The normalizer.</param>
/// <param name="Scores">Normalized final scores, [task][run].</param>
/// <param name="Aggregates">IQM, median, mean and optimality gap with 95% stratified bootstrap CIs, in that order.</param>
/// <param name="Profile">The fraction of runs above each of <see cref="CrossTaskReport.ProfileTaus"/>, with CIs.</param>
public sealed record CrossTaskSummary(string Norm, double[][] Scores, IReadOnlyList<(string Name, ConfidenceInterval Interval)> Aggregates, ConfidenceInterval[] Profile);

/// <summary>
/// rliable's view across the tasks of a study (each group is a task): every run's final score normalized per task
/// (random policy 0, the env's reward threshold 1), then per normalizer the IQM, median, mean and optimality gap with
/// 95% stratified bootstrap CIs (tasks are the strata), and the performance profile. Deterministic like the per-group
/// reports: fixed seeds for the random-policy episodes and the bootstraps.
/// </summary>
public sealed record CrossTaskReport(IReadOnlyList<TaskNormalization> Tasks, IReadOnlyList<CrossTaskSummary> Normalizers)
{
    /// <summary>Seeded episodes of the random policy that defines each task's 0.</summary>
    public const int RandomEpisodes = 100;

    /// <summary>Bootstrap replicates of the aggregates and of each profile point.</summary>
    public const int Replicates = 2000;

    /// <summary>The thresholds of the performance profile, in normalized score.</summary>
    public static readonly double[] ProfileTaus = [.. Enumerable.Range(0, 26).Select(i => i * 0.05)];

    /// <summary>
    /// The report over <paramref name="reports"/> (one per group), or null unless the groups are tasks: at least two,
    /// differing in their environment only (a sweep of a config key or of agents is not a set of tasks) and comparing
    /// the same normalizers. Normalizers without a score in some task are left out.
    /// </summary>
    public static CrossTaskReport? Build(IReadOnlyList<(StudyGroup Group, ComparisonReport Report)> reports)
    {
        if (reports.Count < 2 || reports.Any(r => r.Group.Axes.Any(a => a.Key != "env"))) return null;
        string[] norms = reports[0].Group.Comparison.Norms;
        if (reports.Any(r => !r.Group.Comparison.Norms.SequenceEqual(norms))) return null;
        var tasks = new List<TaskNormalization>();
        foreach ((StudyGroup group, ComparisonReport report) in reports)
        {
            string env = group.Comparison.Env;
            double? threshold = EnvRegistry.Contains(env) ? EnvRegistry.Spec(env).RewardThreshold : null;
            double best = report.Normalizers.SelectMany(n => n.FinalScores).DefaultIfEmpty(double.NaN).Max();
            tasks.Add(new TaskNormalization(group.Title, env, RandomPolicyReturn(env), threshold ?? best, threshold is not null));
        }
        var summaries = new List<CrossTaskSummary>();
        foreach (string norm in norms)
        {
            var perTask = new List<double[]>();
            for (int t = 0; t < reports.Count; t++)
            {
                NormalizerSummary? summary = reports[t].Report.Normalizers.FirstOrDefault(n => n.Norm == norm);
                if (summary is null || summary.FinalScores.Length == 0) break;
                perTask.Add([.. summary.FinalScores.Select(tasks[t].Normalize)]);
            }
            if (perTask.Count != reports.Count) continue;
            double[][] scores = [.. perTask];
            var aggregates = AggregateMetrics.All
                .Select(a => (a.Name, StratifiedBootstrap.Interval(scores, a.Aggregate, ComparisonReport.BootstrapSeed, Replicates))).ToList();
            summaries.Add(new CrossTaskSummary(norm, scores, aggregates, AggregateMetrics.Profile(scores, ProfileTaus, ComparisonReport.BootstrapSeed, Replicates)));
        }
        return summaries.Count == 0 ? null : new CrossTaskReport(tasks, summaries);
    }

    /// <summary>
    /// The cross-task reports of a study whose groups vary in their env and in other axes (an intervention, a config
    /// key): the groups are split by everything but the env, and each part with at least two envs gets its report,
    /// with the axes it holds fixed (empty for a study whose only axis is the env).
    /// </summary>
    public static IReadOnlyList<(IReadOnlyList<KeyValuePair<string, string>> Fixed, CrossTaskReport Report)> BuildPerSetting(
        IReadOnlyList<(StudyGroup Group, ComparisonReport Report)> reports)
    {
        var result = new List<(IReadOnlyList<KeyValuePair<string, string>>, CrossTaskReport)>();
        foreach (var part in reports.GroupBy(r => string.Join('+', r.Group.Axes.Where(a => a.Key != "env").Select(a => $"{a.Key}={a.Value}"))))
        {
            IReadOnlyList<KeyValuePair<string, string>> fixedAxes = [.. part.First().Group.Axes.Where(a => a.Key != "env")];
            // Within a part only the env varies; strip the fixed axes so Build sees tasks.
            var tasks = part.Select(r => (new StudyGroup([.. r.Group.Axes.Where(a => a.Key == "env")], r.Group.Folder, r.Group.Comparison), r.Report)).ToList();
            if (Build(tasks) is { } report) result.Add((fixedAxes, report));
        }
        return result;
    }

    /// <summary>The mean return of a uniformly random policy over <see cref="RandomEpisodes"/> episodes seeded 0, 1, …
    /// (actions from their own seeded stream).</summary>
    public static double RandomPolicyReturn(string envId)
    {
        using IEnv env = EnvRegistry.Make(envId);
        int actions = env.ActionSpace is DiscreteSpace d ? d.N : throw new InvalidOperationException($"{envId}: a random policy needs discrete actions");
        var rng = new Rng(0, RngStreams.RandomActions);
        double total = 0;
        for (int episode = 0; episode < RandomEpisodes; episode++)
        {
            env.Reset(episode);
            while (true)
            {
                StepResult step = env.Step(rng.NextInt(actions));
                total += step.Reward;
                if (step.Done) break;
            }
        }
        return total / RandomEpisodes;
    }

    /// <summary>The report as JSON (summary.json's <c>across_tasks</c>).</summary>
    public JsonObject ToJson()
    {
        static JsonNode? Num(double v) => double.IsFinite(v) ? JsonValue.Create(Math.Round(v, 6)) : null;
        static JsonObject Ci(ConfidenceInterval ci) => new() { ["estimate"] = Num(ci.Estimate), ["lower"] = Num(ci.Lower), ["upper"] = Num(ci.Upper), ["level"] = ci.Level };
        var tasks = new JsonArray();
        foreach (TaskNormalization t in Tasks)
            tasks.Add(new JsonObject { ["task"] = t.Task, ["env"] = t.Env, ["random"] = Num(t.Random), ["reference"] = Num(t.Reference), ["reference_is"] = t.ReferenceIsThreshold ? "reward threshold" : "best run" });
        var norms = new JsonObject();
        foreach (CrossTaskSummary s in Normalizers)
        {
            var entry = new JsonObject();
            foreach ((string name, ConfidenceInterval ci) in s.Aggregates) entry[name.ToLowerInvariant().Replace(' ', '_')] = Ci(ci);
            entry["performance_profile"] = new JsonArray([.. s.Profile.Select(Ci)]);
            norms[s.Norm] = entry;
        }
        return new JsonObject
        {
            ["method"] = $"final scores normalized per task ((score - random) / (reference - random)); IQM of all runs, median and mean of the per-task means, optimality gap (mean shortfall below 1), with 95% stratified bootstrap CIs over tasks ({Replicates} replicates, seed {ComparisonReport.BootstrapSeed}); performance profile = fraction of runs above tau, averaged over tasks",
            ["tasks"] = tasks,
            ["profile_taus"] = new JsonArray([.. ProfileTaus.Select(t => JsonValue.Create(t))]),
            ["normalizers"] = norms,
        };
    }

    /// <summary>The report as a Markdown section, titled with the axes it holds fixed (if any).</summary>
    public string ToMarkdown(IReadOnlyList<KeyValuePair<string, string>>? fixedAxes = null)
    {
        static string F(double v) => double.IsFinite(v) ? v.ToString("F3", CultureInfo.InvariantCulture) : "–";
        var md = new StringBuilder();
        string setting = fixedAxes is { Count: > 0 } ? $" ({string.Join(", ", fixedAxes.Select(a => $"{a.Key}={a.Value}"))})" : "";
        md.AppendLine($"## Across tasks{setting}").AppendLine();
        md.AppendLine($"Final scores normalized per task: 0 is a uniformly random policy ({RandomEpisodes} seeded episodes), 1 the env's reward threshold " +
                      "(or the best run's score where the env has none). Aggregates as rliable computes them, with 95% stratified bootstrap CIs over tasks; " +
                      "the optimality gap is the mean shortfall below 1 (lower is better).").AppendLine();
        md.AppendLine("| task | random policy | reference |").AppendLine("| --- | --- | --- |");
        foreach (TaskNormalization t in Tasks)
            md.AppendLine($"| {t.Task} | {ComparisonReport.FormatValue(t.Random)} | {ComparisonReport.FormatValue(t.Reference)} ({(t.ReferenceIsThreshold ? "reward threshold" : "best run")}) |");
        md.AppendLine();
        md.AppendLine("| normalizer | " + string.Join(" | ", AggregateMetrics.All.Select(a => a.Name + " [95% CI]")) + " |");
        md.AppendLine("| --- |" + string.Concat(AggregateMetrics.All.Select(_ => " --- |")));
        foreach (CrossTaskSummary s in Normalizers)
            md.AppendLine($"| {s.Norm} | " + string.Join(" | ", s.Aggregates.Select(a => $"{F(a.Interval.Estimate)} [{F(a.Interval.Lower)}, {F(a.Interval.Upper)}]")) + " |");
        return md.ToString();
    }
}
