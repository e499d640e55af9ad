using System.Globalization;
using System.Text;

namespace RLRegularity.Records;

/// <summary>
/// An append-only CSV file with a fixed header, flushed row by row so a crash loses at most the row being written.
/// On resume the file is truncated back to the length recorded at the checkpoint, so rows are never duplicated.
/// </summary>
public sealed class CsvLog : IDisposable
{
    private readonly FileStream _stream;
    private readonly StreamWriter _writer;
    private readonly StringBuilder _line = new();

    /// <summary>Opens (or creates) <paramref name="path"/>; a new file gets <paramref name="columns"/> as header, an existing
    /// one must have exactly that header and is cut to <paramref name="truncateTo"/> bytes when given.</summary>
    public CsvLog(string path, IReadOnlyList<string> columns, long? truncateTo = null)
    {
        Path = path;
        Columns = columns;
        string header = string.Join(',', columns);
        bool exists = File.Exists(path) && new FileInfo(path).Length > 0;
        if (exists)
        {
            string? firstLine = File.ReadLines(path).FirstOrDefault();
            if (firstLine != header)
                throw new InvalidDataException($"{path} has header '{firstLine}', expected '{header}'");
        }
        _stream = new FileStream(path, FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.Read);
        if (truncateTo is long length)
        {
            if (length > _stream.Length) throw new InvalidDataException($"{path} is shorter ({_stream.Length} bytes) than its checkpoint says ({length})");
            _stream.SetLength(length);
        }
        _stream.Seek(0, SeekOrigin.End);
        _writer = new StreamWriter(_stream, new UTF8Encoding(false)) { NewLine = "\n" };
        if (!exists) _writer.WriteLine(header);
        _writer.Flush();
    }

    /// <summary>The file's path.</summary>
    public string Path { get; }

    /// <summary>The header's columns.</summary>
    public IReadOnlyList<string> Columns { get; }

    /// <summary>The file's current length in bytes (everything written is flushed).</summary>
    public long Length => _stream.Length;

    /// <summary>Appends one record of a <see cref="CsvSchema{T}"/> type; the log must have been opened with its columns.</summary>
    public void Write<T>(T row) where T : class => Write(CsvSchema<T>.Values(row));

    /// <summary>Appends one row; numbers use the invariant culture and round-trip precision, NaN is written empty.</summary>
    public void Write(params object?[] values)
    {
        Append(values);
        _writer.Flush();
    }

    /// <summary>
    /// Appends several records of a <see cref="CsvSchema{T}"/> type (e.g. one per layer of an update) and flushes once:
    /// a crash loses at most the rows of this call, and a run logging every layer every update makes one write, not one per layer.
    /// </summary>
    public void WriteAll<T>(IEnumerable<T> rows) where T : class
    {
        foreach (T row in rows) Append(CsvSchema<T>.Values(row));
        _writer.Flush();
    }

    private void Append(object?[] values)
    {
        if (values.Length != Columns.Count) throw new ArgumentException($"{Path}: {values.Length} values for {Columns.Count} columns");
        _line.Clear();
        for (int i = 0; i < values.Length; i++)
        {
            if (i > 0) _line.Append(',');
            _line.Append(Format(values[i]));
        }
        _writer.WriteLine(_line);
    }

    /// <summary>Formats a cell.</summary>
    public static string Format(object? value) => value switch
    {
        null => "",
        double d when double.IsNaN(d) => "",
        double d => d.ToString("R", CultureInfo.InvariantCulture),
        float f when float.IsNaN(f) => "",
        float f => f.ToString("R", CultureInfo.InvariantCulture),
        bool b => b ? "1" : "0",
        IFormattable f => f.ToString(null, CultureInfo.InvariantCulture),
        string s when s.Contains(',') || s.Contains('"') => "\"" + s.Replace("\"", "\"\"") + "\"",
        _ => value.ToString() ?? "",
    };

    public void Dispose()
    {
        _writer.Dispose();
        _stream.Dispose();
    }
}
