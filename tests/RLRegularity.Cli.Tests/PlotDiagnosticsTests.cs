namespace RLRegularity.Cli.Tests;

/// <summary><c>rlreg plot --metric dormant|effective_rank|srank|weight_rms|weight_distance|grad_norm</c>: per layer for a
/// run, per normalizer for a comparison, and a usage error for a run trained without diagnostics.</summary>
public sealed class PlotDiagnosticsTests : IDisposable
{
    private readonly string _root = Directory.CreateTempSubdirectory("rlreg-plot-diagnostics").FullName;

    public void Dispose() => Directory.Delete(_root, recursive: true);

    private string Train(string name, int every)
    {
        string run = Path.Combine(_root, name);
        var train = CliRunner.Run("train", "--agent", "ppo", "--env", "CartPole-v1", "--steps", "1024", "--seed", "1", "--set", "num_steps=32",
            "--set", $"diagnostics_every={every}", "--out", run, "--quiet");
        Assert.True(train.ExitCode == 0, train.Error);
        return run;
    }

    [Fact]
    public void ARunIsPlottedLayerByLayer()
    {
        string run = Train("run", 2);
        var plot = CliRunner.Run("plot", run, "--metric", "dormant", "--out", Path.Combine(_root, "dormant.svg"));
        Assert.True(plot.ExitCode == 0, plot.Error);
        string svg = File.ReadAllText(Path.Combine(_root, "dormant.svg"));
        foreach (string layer in new[] { "actor.fc1", "actor.fc2", "critic.fc1", "critic.fc2" }) Assert.Contains(layer, svg);
        Assert.Contains("τ = 0.025", svg);

        var byDefault = CliRunner.Run("plot", run, "--metric", "weight_distance");
        Assert.True(byDefault.ExitCode == 0, byDefault.Error);
        Assert.True(File.Exists(Path.Combine(run, "plots", "weight_distance.png")));
        Assert.True(File.Exists(Path.Combine(run, "plots", "weight_distance.pdf")));
    }

    [Fact]
    public void AComparisonIsPlottedNormalizerByNormalizer()
    {
        string folder = Path.Combine(_root, "compare");
        var compare = CliRunner.Run("compare", "--agent", "ppo", "--env", "CartPole-v1", "--norms", "none,ln", "--seeds", "1", "--steps", "1024",
            "--set", "num_steps=32", "--set", "diagnostics_every=2", "--out", folder, "--quiet", "--jobs", "1");
        Assert.True(compare.ExitCode == 0, compare.Error);
        var plot = CliRunner.Run("plot", folder, "--metric", "srank", "--out", Path.Combine(_root, "srank.svg"));
        Assert.True(plot.ExitCode == 0, plot.Error);
        string svg = File.ReadAllText(Path.Combine(_root, "srank.svg"));
        Assert.Contains("mean over layers", svg);
        Assert.Matches(@">\s*ln\s*</text>", svg);
        Assert.Matches(@">\s*none\s*</text>", svg);
        Assert.DoesNotContain("actor.fc1", svg);
    }

    [Fact]
    public void ARunWithoutDiagnosticsIsAUsageError()
    {
        string run = Train("off", 0);
        Assert.False(File.Exists(Path.Combine(run, "diagnostics.csv")));
        var plot = CliRunner.Run("plot", run, "--metric", "effective_rank", "--out", Path.Combine(_root, "x.svg"));
        Assert.Equal(2, plot.ExitCode);
        Assert.Contains("diagnostics_every=0", plot.Error);
        var unknown = CliRunner.Run("plot", run, "--metric", "dormancy", "--out", Path.Combine(_root, "y.svg"));
        Assert.Equal(2, unknown.ExitCode);
        Assert.Contains("effective_rank", unknown.Error);
    }
}
