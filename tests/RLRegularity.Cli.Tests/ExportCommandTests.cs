using System.Globalization;
using Parquet;
using Parquet.Schema;
using RLRegularity.Records;

namespace RLRegularity.Cli.Tests;

/// <summary><c>rlreg export</c>: the runs under a folder as one tidy table, in CSV and Parquet, with the varying config
/// keys as columns and one row per run × episode.</summary>
public sealed class ExportCommandTests : IDisposable
{
    private readonly string _root = Directory.CreateTempSubdirectory("rlreg-export").FullName;

    public void Dispose() => Directory.Delete(_root, recursive: true);

    private string Train(string name, string learningRate)
    {
        string run = Path.Combine(_root, "study", name);
        var result = CliRunner.Run("train", "--agent", "ppo", "--env", "CartPole-v1", "--steps", "1024", "--set", "num_steps=64",
            "--set", $"learning_rate={learningRate}", "--quiet", "--out", run);
        Assert.True(result.ExitCode == 0, result.Error);
        return run;
    }

    [Fact]
    public async Task CsvAndParquetHoldOneRowPerRunAndEpisodeWithTheVaryingKeys()
    {
        string fast = Train("fast", "0.001"), slow = Train("slow", "0.0003");
        int episodes = CsvSchema<EpisodeRow>.ReadAll(Path.Combine(fast, "episodes.csv")).Count
                       + CsvSchema<EpisodeRow>.ReadAll(Path.Combine(slow, "episodes.csv")).Count;
        string csv = Path.Combine(_root, "results.csv"), parquet = Path.Combine(_root, "results.parquet");
        Assert.Equal(0, CliRunner.Run("export", Path.Combine(_root, "study"), "--format", "csv", "--out", csv).ExitCode);
        string[] lines = File.ReadAllLines(csv);
        Assert.Equal("run,agent,env,preset,norm,seed,planned_steps,learning_rate,global_step,episode,return,length,wall_seconds,schedule_value", lines[0]);
        Assert.Equal(episodes, lines.Length - 1);
        Assert.StartsWith("fast,ppo,CartPole-v1,classic,none,1,1024,0.001,", lines[1]);
        Assert.Contains(lines, l => l.StartsWith("slow,ppo,CartPole-v1,classic,none,1,1024,0.0003,", StringComparison.Ordinal));

        Assert.Equal(0, CliRunner.Run("export", Path.Combine(_root, "study"), "--format", "parquet", "--out", parquet).ExitCode);
        await using ParquetReader reader = await ParquetReader.CreateAsync(parquet);
        Assert.Equal(14, reader.Schema.DataFields.Length);
        using ParquetRowGroupReader group = reader.OpenRowGroupReader(0);
        Assert.Equal(episodes, group.RowCount);
        DataField returns = reader.Schema.DataFields.Single(f => f.Name == "return");
        var values = new double?[episodes];
        await group.ReadAsync<double>(returns, values);
        // The same returns, in the same order, as the CSV.
        Assert.Equal(lines.Skip(1).Select(l => double.Parse(l.Split(',')[10], CultureInfo.InvariantCulture)), values.Select(v => v!.Value));
    }

    [Fact]
    public void RunsFormatHoldsEachRunsMetricsAndTheCommandThatReproducesIt()
    {
        string fast = Train("fast", "0.001");
        string runs = Path.Combine(_root, "runs.csv");
        Assert.Equal(0, CliRunner.Run("export", Path.Combine(_root, "study"), "--format", "runs", "--out", runs).ExitCode);
        string[] lines = File.ReadAllLines(runs);
        Assert.Equal("agent,env,norm,seed,metric,value,command", lines[0]);
        string[] metrics = [.. lines.Skip(1).Select(l => l.Split(',')[4])];
        Assert.Equal(["final_return", "final_return_ma50", "auc", "final_mean_return_20", "final_mean_return_100"], metrics.Take(5));
        // The command, run again into another folder, gives the same episodes bit for bit.
        string command = lines[1].Split(',', 7)[6];
        Assert.StartsWith("rlreg train --agent ppo --env CartPole-v1 --steps 1024", command);
        Assert.DoesNotContain("--out", command);
        string again = Path.Combine(_root, "again");
        var rerun = CliRunner.Run([.. command.Split(' ').Skip(1), "--out", again]);
        Assert.True(rerun.ExitCode == 0, rerun.Error);
        Assert.Equal(File.ReadAllLines(Path.Combine(fast, "episodes.csv")).Select(l => string.Join(',', l.Split(',').Take(4))),
                     File.ReadAllLines(Path.Combine(again, "episodes.csv")).Select(l => string.Join(',', l.Split(',').Take(4))));
    }

    [Fact]
    public void AFolderWithoutRunsOrABadFormatIsAUsageError()
    {
        Directory.CreateDirectory(Path.Combine(_root, "empty"));
        var empty = CliRunner.Run("export", Path.Combine(_root, "empty"), "--format", "csv", "--out", Path.Combine(_root, "x.csv"));
        Assert.Equal(2, empty.ExitCode);
        Assert.Contains("holds no run folder", empty.Error);
        var format = CliRunner.Run("export", _root, "--format", "xlsx", "--out", Path.Combine(_root, "x.xlsx"));
        Assert.Equal(2, format.ExitCode);
        Assert.Contains("'xlsx' is not one of csv, parquet, runs", format.Error);
    }
}
