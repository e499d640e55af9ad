using System.Globalization;
using System.Text.Json.Nodes;
using RLRegularity.Agents.Common;

namespace RLRegularity.Agents.Comparison;

/// <summary>What the analysis needs of a finished run folder: its settings and its episodes (end step, return).</summary>
public sealed record RunData(string Folder, RunSettings Settings, JsonObject AgentConfig, long[] EndSteps, double[] Returns, double[] Lengths)
{
    /// <summary>Reads a finished run; a missing or malformed file is an <see cref="InvalidDataException"/> naming the folder and the file.</summary>
    public static RunData Read(string folder)
    {
        if (!Directory.Exists(folder)) throw new InvalidDataException($"run folder '{folder}' is missing");
        (RunSettings settings, JsonObject config) = TrainingRun.ReadConfig(folder);
        string summary = Path.Combine(folder, "summary.json");
        if (!File.Exists(summary)) throw new InvalidDataException($"run folder '{folder}' is not finished (no summary.json)");
        string episodes = Path.Combine(folder, "episodes.csv");
        if (!File.Exists(episodes)) throw new InvalidDataException($"run folder '{folder}' has no episodes.csv");
        var steps = new List<long>();
        var returns = new List<double>();
        var lengths = new List<double>();
        int lineNumber = 1;
        foreach (string line in File.ReadLines(episodes).Skip(1))
        {
            lineNumber++;
            string[] cells = line.Split(',');
            if (cells.Length < 4 || !long.TryParse(cells[0], NumberStyles.Integer, CultureInfo.InvariantCulture, out long step)
                || !double.TryParse(cells[2], NumberStyles.Float, CultureInfo.InvariantCulture, out double value) || !double.IsFinite(value)
                || !double.TryParse(cells[3], NumberStyles.Float, CultureInfo.InvariantCulture, out double length))
                throw new InvalidDataException($"run folder '{folder}': episodes.csv line {lineNumber} is malformed: '{line}'");
            if (steps.Count > 0 && step < steps[^1])
                throw new InvalidDataException($"run folder '{folder}': episodes.csv line {lineNumber} goes back in steps");
            steps.Add(step);
            returns.Add(value);
            lengths.Add(length);
        }
        if (steps.Count == 0) throw new InvalidDataException($"run folder '{folder}' has no finished episodes");
        return new RunData(folder, settings, config, [.. steps], [.. returns], [.. lengths]);
    }
}
