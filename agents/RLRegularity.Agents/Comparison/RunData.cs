using System.Text.Json.Nodes;
using RLRegularity.Agents.Common;
using RLRegularity.Records;

namespace RLRegularity.Agents.Comparison;

/// <summary>What the analysis needs of a finished run folder: its settings, its episodes (end step, return) and its
/// greedy evaluations (evals.csv, empty when the run had none).</summary>
public sealed record RunData(string Folder, RunSettings Settings, JsonObject AgentConfig, long[] EndSteps, double[] Returns, double[] Lengths,
    IReadOnlyList<EvalRow> Evaluations)
{
    /// <summary>The mean return of the run's last evaluation (SB3's final evaluation); NaN when it had none.</summary>
    public double FinalEvaluation => Evaluations.Count > 0 ? Evaluations[^1].MeanReturn : double.NaN;

    /// <summary>The same run with episodes as its time axis: the i-th episode "ends" at i (for budgets counted in episodes).</summary>
    public RunData OverEpisodes() => this with { EndSteps = [.. Enumerable.Range(1, Returns.Length).Select(i => (long)i)] };

    /// <summary>Reads a finished run; a missing or malformed file is an <see cref="InvalidDataException"/> naming the folder and the file.</summary>
    public static RunData Read(string folder)
    {
        if (!Directory.Exists(folder)) throw new InvalidDataException($"run folder '{folder}' is missing");
        (RunSettings settings, JsonObject config) = TrainingRun.ReadConfig(folder);
        string summary = Path.Combine(folder, "summary.json");
        if (!File.Exists(summary)) throw new InvalidDataException($"run folder '{folder}' is not finished (no summary.json)");
        string episodes = Path.Combine(folder, "episodes.csv");
        if (!File.Exists(episodes)) throw new InvalidDataException($"run folder '{folder}' has no episodes.csv");
        List<EpisodeRow> rows = CsvSchema<EpisodeRow>.ReadAll(episodes);
        for (int i = 0; i < rows.Count; i++)
        {
            if (!double.IsFinite(rows[i].Return))
                throw new InvalidDataException($"run folder '{folder}': episodes.csv line {i + 2} has the return {rows[i].Return}");
            if (i > 0 && rows[i].GlobalStep < rows[i - 1].GlobalStep)
                throw new InvalidDataException($"run folder '{folder}': episodes.csv line {i + 2} goes back in steps");
        }
        long[] steps = [.. rows.Select(r => r.GlobalStep)];
        if (steps.Length == 0) throw new InvalidDataException($"run folder '{folder}' has no finished episodes");
        string evals = Path.Combine(folder, RunFolder.EvalsFile);
        List<EvalRow> evaluations = File.Exists(evals) ? CsvSchema<EvalRow>.ReadAll(evals) : [];
        return new RunData(folder, settings, config, steps, [.. rows.Select(r => r.Return)], [.. rows.Select(r => (double)r.Length)], evaluations);
    }
}
