using System.Globalization;
using System.Reflection;
using System.Text.Json;
using CsvHelper;
using CsvHelper.Configuration;

namespace RLRegularity.Records;

/// <summary>
/// The CSV schema of a record type: its columns are its primary constructor's parameters in snake_case, in order, so
/// one record definition is the file's layout for the writer (<see cref="CsvLog"/>) and every reader. Reading goes by
/// column name through CsvHelper (RFC 4180 quoting); an empty cell is null for nullable columns and NaN for doubles.
/// </summary>
public static class CsvSchema<T> where T : class
{
    private static readonly ConstructorInfo Constructor = typeof(T).GetConstructors().OrderByDescending(c => c.GetParameters().Length).First();
    private static readonly ParameterInfo[] Parameters = Constructor.GetParameters();
    private static readonly PropertyInfo[] Properties =
        [.. Parameters.Select(p => typeof(T).GetProperty(p.Name!) ?? throw new InvalidOperationException($"{typeof(T).Name} has no property {p.Name}"))];

    /// <summary>The column names, in file order.</summary>
    public static IReadOnlyList<string> Columns { get; } = [.. Parameters.Select(p => JsonNamingPolicy.SnakeCaseLower.ConvertName(p.Name!))];

    /// <summary>The row's cells, in column order (formatted by <see cref="CsvLog"/>).</summary>
    public static object?[] Values(T row) => [.. Properties.Select(p => p.GetValue(row))];

    /// <summary>Every row of <paramref name="path"/>; a missing column or a cell that does not parse is an
    /// <see cref="InvalidDataException"/> naming the file, the line and the column.</summary>
    public static List<T> ReadAll(string path)
    {
        using var reader = new StreamReader(path);
        using var csv = new CsvReader(reader, new CsvConfiguration(CultureInfo.InvariantCulture) { DetectColumnCountChanges = true });
        csv.Context.TypeConverterOptionsCache.GetOptions<bool>().BooleanTrueValues.Add("1");
        csv.Context.TypeConverterOptionsCache.GetOptions<bool>().BooleanFalseValues.Add("0");
        if (!csv.Read() || !csv.ReadHeader()) return [];
        string[] header = csv.HeaderRecord ?? [];
        foreach (string column in Columns)
        {
            if (!header.Contains(column))
                throw new InvalidDataException($"{path} has no column '{column}' (its columns: {string.Join(", ", header)})");
        }
        var rows = new List<T>();
        var args = new object?[Parameters.Length];
        while (csv.Read())
        {
            for (int i = 0; i < Parameters.Length; i++)
            {
                Type type = Parameters[i].ParameterType;
                string? cell = csv.GetField(Columns[i]);
                try
                {
                    args[i] = string.IsNullOrEmpty(cell) && type == typeof(double) ? double.NaN : csv.GetField(type, Columns[i]);
                }
                catch (CsvHelperException e)
                {
                    throw new InvalidDataException($"{path} line {csv.Parser.RawRow}: column '{Columns[i]}' holds '{cell}', not a {type.Name}", e);
                }
            }
            rows.Add((T)Constructor.Invoke(args));
        }
        return rows;
    }
}
