using System.Globalization;
using Parquet;
using Parquet.Schema;

namespace RLRegularity.Records;

/// <summary>
/// A long ("tidy") table: named, typed columns of equal length, written as CSV or Parquet for pandas, seaborn and
/// rliable. Text columns hold strings, number columns doubles (null where a value is missing), count columns longs.
/// </summary>
public sealed class TidyTable
{
    private readonly List<(string Name, Type Type, List<object?> Values)> _columns = [];

    /// <summary>The rows so far.</summary>
    public int Rows { get; private set; }

    /// <summary>The column names, in order.</summary>
    public IEnumerable<string> Columns => _columns.Select(c => c.Name);

    /// <summary>Declares a column of <see cref="string"/>, <see cref="long"/> or <see cref="double"/> values (before any row).</summary>
    public TidyTable Column(string name, Type type)
    {
        if (Rows > 0) throw new InvalidOperationException("columns are declared before the first row");
        if (type != typeof(string) && type != typeof(long) && type != typeof(double))
            throw new ArgumentException($"column '{name}': only string, long and double columns are supported, not {type.Name}");
        if (_columns.Any(c => c.Name == name)) throw new ArgumentException($"column '{name}' is declared twice");
        _columns.Add((name, type, []));
        return this;
    }

    /// <summary>Appends a row, one value per column in order (null: missing).</summary>
    public void Add(params object?[] values)
    {
        if (values.Length != _columns.Count) throw new ArgumentException($"{values.Length} values for {_columns.Count} columns");
        for (int i = 0; i < values.Length; i++) _columns[i].Values.Add(values[i]);
        Rows++;
    }

    /// <summary>Writes the table as CSV (replacing <paramref name="path"/>), formatted and quoted as the runs' own logs
    /// (<see cref="CsvLog"/>); missing values are empty.</summary>
    public void WriteCsv(string path)
    {
        File.Delete(path);
        using var log = new CsvLog(path, [.. Columns]);
        var row = new object?[_columns.Count];
        for (int r = 0; r < Rows; r++)
        {
            for (int c = 0; c < row.Length; c++) row[c] = _columns[c].Values[r];
            log.Write(row);
        }
    }

    /// <summary>Writes the table as one Parquet row group (strings and doubles nullable, longs required).</summary>
    public async Task WriteParquetAsync(string path)
    {
        var fields = _columns.Select(c => c.Type == typeof(string) ? new DataField<string>(c.Name)
            : c.Type == typeof(long) ? new DataField<long>(c.Name) : (DataField)new DataField<double?>(c.Name)).ToArray();
        await using FileStream stream = File.Create(path);
        await using ParquetWriter writer = await ParquetWriter.CreateAsync(new ParquetSchema(fields), stream);
        using ParquetRowGroupWriter group = writer.CreateRowGroup();
        for (int i = 0; i < _columns.Count; i++)
        {
            var (_, type, values) = _columns[i];
            if (type == typeof(string))
                await group.WriteAsync(fields[i], values.Select(v => (string?)v!).ToArray());
            else if (type == typeof(long))
                await group.WriteAsync<long>(fields[i], values.Select(v => Convert.ToInt64(v, CultureInfo.InvariantCulture)).ToArray());
            else
                await group.WriteAsync<double>(fields[i], values.Select(v => v is null || (v is double d && double.IsNaN(d)) ? (double?)null
                                                                                 : Convert.ToDouble(v, CultureInfo.InvariantCulture)).ToArray());
        }
    }
}
