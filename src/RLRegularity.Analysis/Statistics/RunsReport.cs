using System.Globalization;
using System.Text;
using System.Text.Json.Nodes;
using RLRegularity.Records;

namespace RLRegularity.Statistics;

/// <summary>One setting's statistics of a metric over its runs.</summary>
/// <param name="Norm">The normalizer.</param>
/// <param name="Values">The runs' finite values, in seed order.</param>
/// <param name="Seeds">Their seeds.</param>
/// <param name="Iqm">IQM with its 95% bootstrap CI.</param>
/// <param name="Mean">Mean with its 95% bootstrap CI.</param>
/// <param name="StandardError">Population standard deviation / √n (the paper's SEM).</param>
/// <param name="ImprovementOverBaseline">P(a run beats a baseline run), with CI; null for the baseline or without one.</param>
public sealed record RunsReportRow(string Norm, double[] Values, long[] Seeds, ConfidenceInterval Iqm, ConfidenceInterval Mean, double StandardError,
    ConfidenceInterval? ImprovementOverBaseline);

/// <summary>The rows of one agent × env (× split option values) group.</summary>
/// <param name="Agent">The agent.</param>
/// <param name="Env">The environment.</param>
/// <param name="Split">The values of the split options (e.g. intervention=snp), empty without --split.</param>
/// <param name="Rows">One row per normalizer, in the order the files first name them.</param>
public sealed record RunsReportGroup(string Agent, string Env, IReadOnlyList<KeyValuePair<string, string>> Split, IReadOnlyList<RunsReportRow> Rows);

/// <summary>
/// The statistics of one metric read back from studies' runs.csv files, without their run folders: per agent × env
/// (and, with split options, per value of those <c>rlreg train</c> options in each run's command), per normalizer,
/// mean ± SEM as the paper reports it, IQM and mean with 95% bootstrap CIs and the probability of improvement over the
/// baseline, computed as <c>rlreg compare</c> computes them (same bootstrap seed and replicates), so a table joined
/// from several files matches what one study would have reported. A run listed in two files must have the same value
/// in both; two different commands for one run's place in a group are an error that names them.
/// </summary>
public static class RunsReport
{
    /// <summary>Seed of every bootstrap (the same as <c>rlreg compare</c>'s).</summary>
    public const long BootstrapSeed = 20220101;

    /// <summary>Bootstrap replicates (the same as <c>rlreg compare</c>'s).</summary>
    public const int Replicates = 5000;

    /// <summary>Builds the groups from <paramref name="files"/> for <paramref name="metric"/>.</summary>
    /// <exception cref="InvalidDataException">No row has the metric, or the files disagree about a run.</exception>
    public static List<RunsReportGroup> Build(IReadOnlyList<string> files, string metric, string baseline, IReadOnlyList<string> splitOptions)
    {
        var seen = new Dictionary<(string Agent, string Env, string Norm, long Seed, string Metric, string Command), (double Value, string File)>();
        var runs = new List<(RunMetricRow Row, string[] Split)>();
        var metrics = new SortedSet<string>(StringComparer.Ordinal);
        foreach (string file in files)
        {
            foreach (RunMetricRow row in CsvSchema<RunMetricRow>.ReadAll(file))
            {
                metrics.Add(row.Metric);
                if (row.Metric != metric) continue;
                var key = (row.Agent, row.Env, row.Norm, row.Seed, row.Metric, row.Command);
                if (seen.TryGetValue(key, out var earlier))
                {
                    if (!SameValue(earlier.Value, row.Value))
                        throw new InvalidDataException($"{row.Agent} {row.Env} {row.Norm} seed {row.Seed}: {metric} is {earlier.Value.ToString(CultureInfo.InvariantCulture)} in {earlier.File} " +
                                                       $"but {row.Value.ToString(CultureInfo.InvariantCulture)} in {file} for the same command");
                    continue;
                }
                seen[key] = (row.Value, file);
                runs.Add((row, [.. splitOptions.Select(o => OptionValue(row.Command, o) ?? "–")]));
            }
        }
        if (runs.Count == 0)
            throw new InvalidDataException($"no row has the metric '{metric}'; the files have: {(metrics.Count == 0 ? "no rows" : string.Join(", ", metrics))}");

        var groups = new List<RunsReportGroup>();
        foreach (var group in runs.GroupBy(r => (r.Row.Agent, r.Row.Env, Split: string.Join('\u0001', r.Split))))
        {
            // The baseline first, then the normalizers in the order the files first name them.
            var byNorm = group.GroupBy(r => r.Row.Norm).OrderBy(n => n.Key == baseline ? 0 : 1).ToList();
            foreach (var norm in byNorm)
            {
                if (norm.GroupBy(r => r.Row.Seed).FirstOrDefault(s => s.Count() > 1) is { } clash)
                    throw new InvalidDataException($"{group.Key.Agent} {group.Key.Env} {norm.Key} seed {clash.Key} comes from different commands, so the runs are not one setting " +
                                                   $"(split them with --split OPTION):{Environment.NewLine}  {string.Join(Environment.NewLine + "  ", clash.Select(c => c.Row.Command))}");
            }
            double[]? baselineValues = byNorm.FirstOrDefault(n => n.Key == baseline) is { } b ? Finite(b) : null;
            var rows = new List<RunsReportRow>();
            foreach (var norm in byNorm)
            {
                var ordered = norm.OrderBy(r => r.Row.Seed).Where(r => double.IsFinite(r.Row.Value)).ToList();
                double[] values = [.. ordered.Select(r => r.Row.Value)];
                if (values.Length == 0) continue;
                ConfidenceInterval? improvement = norm.Key != baseline && baselineValues is { Length: > 0 } ? Improvement(values, baselineValues) : null;
                rows.Add(new RunsReportRow(norm.Key, values, [.. ordered.Select(r => r.Row.Seed)], Iqm(values), Mean(values),
                    StandardError(values), improvement));
            }
            var split = splitOptions.Select((o, i) => new KeyValuePair<string, string>(o, group.First().Split[i])).ToList();
            groups.Add(new RunsReportGroup(group.Key.Agent, group.Key.Env, split, rows));
        }
        return groups;
    }

    /// <summary>The IQM of one setting's scores with its 95% bootstrap CI (the seed and replicates of every report).</summary>
    public static ConfidenceInterval Iqm(double[] scores) =>
        StratifiedBootstrap.Interval([scores], s => RobustStatistics.InterquartileMean(StratifiedBootstrap.Flatten(s)), BootstrapSeed, Replicates);

    /// <summary>The mean of one setting's scores with its 95% bootstrap CI.</summary>
    public static ConfidenceInterval Mean(double[] scores) =>
        StratifiedBootstrap.Interval([scores], s => RobustStatistics.Mean(StratifiedBootstrap.Flatten(s)), BootstrapSeed, Replicates);

    /// <summary>P(a run of <paramref name="scores"/> beats a run of <paramref name="baseline"/>) with its 95% bootstrap CI.</summary>
    public static ConfidenceInterval Improvement(double[] scores, double[] baseline) =>
        ProbabilityOfImprovement.Interval([scores], [baseline], BootstrapSeed, Replicates);

    /// <summary>The paper's standard error of the mean: the population standard deviation (numpy's default, ddof 0) divided by √n.</summary>
    public static double StandardError(IReadOnlyList<double> values)
    {
        if (values.Count == 0) return double.NaN;
        double mean = values.Average();
        return Math.Sqrt(values.Sum(v => (v - mean) * (v - mean)) / values.Count) / Math.Sqrt(values.Count);
    }

    /// <summary>
    /// The value of option <paramref name="option"/> (with or without its leading dashes) in a recorded command line:
    /// <c>--name value</c>, <c>--name=value</c>, or <c>--set name=value</c> for a config key; null when the command does not give it.
    /// </summary>
    public static string? OptionValue(string command, string option)
    {
        string name = option.TrimStart('-');
        string[] tokens = command.Split(' ', StringSplitOptions.RemoveEmptyEntries);
        for (int i = 0; i < tokens.Length; i++)
        {
            string token = tokens[i].Trim('\'');
            if (token == "--" + name && i + 1 < tokens.Length) return tokens[i + 1].Trim('\'');
            if (token.StartsWith("--" + name + "=", StringComparison.Ordinal)) return token[(name.Length + 3)..];
            if (token == "--set" && i + 1 < tokens.Length && tokens[i + 1].Trim('\'').StartsWith(name + "=", StringComparison.Ordinal))
                return Unquoted(tokens[i + 1].Trim('\'')[(name.Length + 1)..]);
        }
        return null;
    }

    // A --set value given as a JSON string ("snp", as study axes write it) is the string itself.
    private static string Unquoted(string value) =>
        value.Length >= 2 && value[0] == '"' && value[^1] == '"' ? value[1..^1] : value;

    /// <summary>The groups as Markdown: one table per group, values with two decimals as the paper prints them.</summary>
    public static string ToMarkdown(IReadOnlyList<RunsReportGroup> groups, string metric, string baseline, IReadOnlyList<string> files)
    {
        static string F(double v) => double.IsFinite(v) ? v.ToString("F2", CultureInfo.InvariantCulture) : "–";
        static string Ci(ConfidenceInterval c) => $"{F(c.Estimate)} [{F(c.Lower)}, {F(c.Upper)}]";
        var md = new StringBuilder();
        md.AppendLine($"`{metric}` from {string.Join(", ", files.Select(f => $"`{f}`"))}: mean ± SEM (population standard deviation / √n), " +
                      $"IQM and mean with 95% bootstrap CIs, and P(> {baseline}), the probability that a run of the row scores higher than a run of " +
                      $"{baseline} (ties count half), with its CI ({Replicates} replicates, seed {BootstrapSeed}). Where lower is better " +
                      "(steps, drops), below 0.5 favours the row.");
        foreach (RunsReportGroup group in groups)
        {
            md.AppendLine();
            string split = group.Split.Count == 0 ? "" : ", " + string.Join(", ", group.Split.Select(s => $"{s.Key} {s.Value}"));
            md.AppendLine($"## {group.Agent} on {group.Env}{split}");
            md.AppendLine();
            md.AppendLine($"| normalizer | runs | mean ± SEM | IQM [95% CI] | mean [95% CI] | P(> {baseline}) [95% CI] |");
            md.AppendLine("| --- | --- | --- | --- | --- | --- |");
            foreach (RunsReportRow row in group.Rows)
            {
                string poi = row.ImprovementOverBaseline is { } p ? Ci(p) : row.Norm == baseline ? "baseline" : "–";
                md.AppendLine($"| {row.Norm} | {row.Values.Length} | {F(row.Mean.Estimate)} ± {F(row.StandardError)} | {Ci(row.Iqm)} | {Ci(row.Mean)} | {poi} |");
            }
        }
        return md.ToString();
    }

    /// <summary>The groups as JSON, with every run's value and seed.</summary>
    public static JsonObject ToJson(IReadOnlyList<RunsReportGroup> groups, string metric, string baseline)
    {
        static JsonNode? Num(double v) => double.IsFinite(v) ? JsonValue.Create(Math.Round(v, 6)) : null;
        static JsonObject Ci(ConfidenceInterval ci) => new() { ["estimate"] = Num(ci.Estimate), ["lower"] = Num(ci.Lower), ["upper"] = Num(ci.Upper), ["level"] = ci.Level };
        var list = new JsonArray();
        foreach (RunsReportGroup group in groups)
        {
            var rows = new JsonObject();
            foreach (RunsReportRow row in group.Rows)
            {
                rows[row.Norm] = new JsonObject
                {
                    ["runs"] = row.Values.Length,
                    ["seeds"] = new JsonArray([.. row.Seeds.Select(s => JsonValue.Create(s))]),
                    ["values"] = new JsonArray([.. row.Values.Select(Num)]),
                    ["mean"] = Ci(row.Mean),
                    ["sem"] = Num(row.StandardError),
                    ["iqm"] = Ci(row.Iqm),
                    ["probability_of_improvement_over_baseline"] = row.ImprovementOverBaseline is { } p ? Ci(p) : null,
                };
            }
            var split = new JsonObject();
            foreach (var (key, value) in group.Split) split[key] = value;
            list.Add(new JsonObject { ["agent"] = group.Agent, ["env"] = group.Env, ["split"] = split, ["normalizers"] = rows });
        }
        return new JsonObject
        {
            ["metric"] = metric,
            ["baseline"] = baseline,
            ["bootstrap"] = new JsonObject { ["replicates"] = Replicates, ["seed"] = BootstrapSeed },
            ["groups"] = list,
        };
    }

    private static double[] Finite(IEnumerable<(RunMetricRow Row, string[] Split)> runs) =>
        [.. runs.OrderBy(r => r.Row.Seed).Select(r => r.Row.Value).Where(double.IsFinite)];

    private static bool SameValue(double a, double b) => a.Equals(b) || (double.IsNaN(a) && double.IsNaN(b));
}
