using System.Globalization;
using CsvHelper;

namespace RLRegularity.Records;

/// <summary>
/// updates.csv read by column name: <c>global_step</c>, <c>update</c>, the agent's metrics (their names are the
/// learner's update columns, which differ between DQN and PPO) and <c>wall_seconds</c>.
/// </summary>
public sealed class UpdatesTable
{
    private readonly Dictionary<string, double[]> _columns;

    private UpdatesTable(long[] steps, Dictionary<string, double[]> columns, string[] metrics) => (GlobalSteps, _columns, Metrics) = (steps, columns, metrics);

    /// <summary>The global step of every update.</summary>
    public long[] GlobalSteps { get; }

    /// <summary>The agent's metric columns (everything but global_step, update and wall_seconds), in file order.</summary>
    public string[] Metrics { get; }

    /// <summary>One column's values (NaN where empty); an unknown column is a <see cref="KeyNotFoundException"/> listing the metrics.</summary>
    public double[] Column(string name) => _columns.TryGetValue(name, out double[]? values) ? values
        : throw new KeyNotFoundException($"updates.csv has no column '{name}' (its metrics: {string.Join(", ", Metrics)})");

    /// <summary>Reads <paramref name="path"/>.</summary>
    public static UpdatesTable Read(string path)
    {
        using var reader = new StreamReader(path);
        using var csv = new CsvReader(reader, CultureInfo.InvariantCulture);
        if (!csv.Read() || !csv.ReadHeader()) throw new InvalidDataException($"{path} has no header");
        string[] header = csv.HeaderRecord!;
        if (header.Length < 3 || header[0] != "global_step" || header[1] != "update")
            throw new InvalidDataException($"{path} does not start with global_step,update");
        var steps = new List<long>();
        var values = header.ToDictionary(h => h, _ => new List<double>());
        while (csv.Read())
        {
            steps.Add(csv.GetField<long>("global_step"));
            foreach (string column in header)
            {
                string? cell = csv.GetField(column);
                values[column].Add(string.IsNullOrEmpty(cell) ? double.NaN : double.Parse(cell, CultureInfo.InvariantCulture));
            }
        }
        return new UpdatesTable([.. steps], values.ToDictionary(p => p.Key, p => p.Value.ToArray()),
                                [.. header.Where(h => h is not ("global_step" or "update" or "wall_seconds"))]);
    }
}
