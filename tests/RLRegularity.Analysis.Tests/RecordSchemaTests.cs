using RLRegularity.Records;
using RLRegularity.TestSupport;

namespace RLRegularity.Analysis.Tests;

/// <summary>
/// One schema per record: the CSV columns are the record's properties in snake_case; what <see cref="CsvLog"/> writes,
/// quoted fields and empty cells included, reads back equal; runs/README.md documents exactly these columns.
/// </summary>
public sealed class RecordSchemaTests : IDisposable
{
    private readonly string _root = Directory.CreateTempSubdirectory("rlreg-records").FullName;

    public void Dispose() => Directory.Delete(_root, recursive: true);

    [Fact]
    public void ColumnsAreThePropertiesInSnakeCase()
    {
        Assert.Equal(["global_step", "episode", "return", "length", "wall_seconds", "schedule_value"], CsvSchema<EpisodeRow>.Columns);
        Assert.Equal(["global_step", "update", "layer", "calls", "code_length", "code_length_batch_mean", "comp", "mean", "std", "count",
                      "non_positive", "initialized"], CsvSchema<RegularityRow>.Columns);
        Assert.Equal(["global_step", "update", "network", "layer", "units", "dormant_fraction_tau_0", "dormant_fraction_tau_0_025",
                      "dormant_fraction_tau_0_1", "effective_rank", "srank_99", "weight_rms", "weight_distance_from_init_rms", "grad_norm"],
                     CsvSchema<DiagnosticsRow>.Columns);
    }

    [Fact]
    public void WrittenRowsReadBackEqualIncludingQuotesAndEmptyCells()
    {
        string path = Path.Combine(_root, "regularity.csv");
        RegularityRow[] rows =
        [
            new(100, 1, "q.norm0", 3, 1.25, null, -0.5, 0.1, 0.9, 64, 0, true),
            // A layer name with a comma and a quote must survive (Split(',') could not read it back).
            new(200, 2, "odd, \"name\"", 4, null, 2.5, 1e-300, double.NaN, 1, 128, 2, false),
        ];
        using (var log = new CsvLog(path, CsvSchema<RegularityRow>.Columns))
        {
            foreach (RegularityRow row in rows) log.Write(row);
        }
        List<RegularityRow> read = CsvSchema<RegularityRow>.ReadAll(path);
        Assert.Equal(rows[0], read[0]);
        Assert.Equal("odd, \"name\"", read[1].Layer);
        Assert.Null(read[1].CodeLength);
        Assert.True(double.IsNaN(read[1].Mean));
        Assert.Equal(rows[1] with { Mean = 0 }, read[1] with { Mean = 0 });
    }

    [Fact]
    public void AMissingColumnOrABadCellIsNamed()
    {
        string path = Path.Combine(_root, "episodes.csv");
        File.WriteAllText(path, "global_step,episode,return,length,wall_seconds\n1,1,1,1,0\n");
        Assert.Contains("schedule_value", Assert.Throws<InvalidDataException>(() => CsvSchema<EpisodeRow>.ReadAll(path)).Message);
        File.WriteAllText(path, "global_step,episode,return,length,wall_seconds,schedule_value\n1,1,abc,1,0,\n");
        var e = Assert.Throws<InvalidDataException>(() => CsvSchema<EpisodeRow>.ReadAll(path));
        Assert.Contains("'return'", e.Message);
        Assert.Contains("abc", e.Message);
    }

    [Fact]
    public void RunsReadmeDocumentsTheColumns()
    {
        string readme = File.ReadAllText(Path.Combine(ReferenceData.RepositoryRoot, "runs", "README.md"));
        Assert.Contains(Listing(CsvSchema<EpisodeRow>.Columns), readme);
        Assert.Contains(Listing(CsvSchema<RegularityRow>.Columns), readme);
        Assert.Contains(Listing(CsvSchema<EvalRow>.Columns), readme);
        Assert.Contains(Listing(CsvSchema<DiagnosticsRow>.Columns), readme);
    }

    private static string Listing(IEnumerable<string> columns) => string.Join(", ", columns.Select(c => $"`{c}`"));
}
