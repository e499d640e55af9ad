namespace RLRegularity.Cli.Tests;

/// <summary><c>rlreg bench train</c>: one JSON line per run and per normalizer, run folders kept only on request, bad input named.</summary>
public sealed class BenchCommandTests : IDisposable
{
    private readonly string _root = Directory.CreateTempSubdirectory("rlreg-bench").FullName;

    public void Dispose() => Directory.Delete(_root, recursive: true);

    [Fact]
    public void TrainReportsEveryRunAndEachNormalizer()
    {
        string kept = Path.Combine(_root, "kept");
        var result = CliRunner.Run("bench", "train", "--agent", "ppo", "--norms", "none,rn", "--seeds", "1,2", "--steps", "1024",
            "--set", "num_steps=64", "--out", kept);
        Assert.True(result.ExitCode == 0, result.Error);
        var lines = result.JsonLines();
        Assert.Equal(6, lines.Count); // 2 runs + 1 aggregate, per normalizer
        var runs = lines.Where(l => l.TryGetProperty("seed", out _)).ToList();
        Assert.Equal(["none", "none", "rn", "rn"], runs.Select(r => r.GetProperty("norm").GetString()));
        Assert.All(runs, r =>
        {
            Assert.Equal(1024, r.GetProperty("steps").GetInt64());
            Assert.True(r.GetProperty("steps_per_second").GetDouble() > 0);
            Assert.True(r.GetProperty("peak_rss_mb").GetDouble() > 0);
            Assert.Equal(System.Text.Json.JsonValueKind.Null, r.GetProperty("solved_at_step").ValueKind); // 1024 steps cannot reach 475
        });
        var aggregate = lines.Single(l => !l.TryGetProperty("seed", out _) && l.GetProperty("norm").GetString() == "rn");
        Assert.Equal(2, aggregate.GetProperty("runs").GetInt32());
        double mean = runs.Where(r => r.GetProperty("norm").GetString() == "rn").Average(r => r.GetProperty("steps_per_second").GetDouble());
        Assert.Equal(mean, aggregate.GetProperty("mean_steps_per_second").GetDouble(), 0);
        Assert.True(File.Exists(Path.Combine(kept, "rn-s2", "summary.json")));
    }

    [Fact]
    public void UnknownNormalizerIsNamedBeforeAnyRun()
    {
        var result = CliRunner.Run("bench", "train", "--agent", "dqn", "--norms", "none,foo", "--out", Path.Combine(_root, "never"));
        Assert.NotEqual(0, result.ExitCode);
        Assert.Contains("'foo'", result.Error);
        Assert.False(Directory.Exists(Path.Combine(_root, "never")));
    }

    [Fact]
    public void ExistingOutputIsRefused()
    {
        string taken = Path.Combine(_root, "taken");
        Directory.CreateDirectory(taken);
        File.WriteAllText(Path.Combine(taken, "mine.txt"), "keep");
        var result = CliRunner.Run("bench", "train", "--agent", "ppo", "--norms", "none", "--seeds", "1", "--steps", "512", "--out", taken);
        Assert.NotEqual(0, result.ExitCode);
        Assert.Contains("already exists", result.Error);
        Assert.Equal("keep", File.ReadAllText(Path.Combine(taken, "mine.txt")));
    }
}
