using System.Text.Json;
using SixLabors.ImageSharp;

namespace RLRegularity.Cli.Tests;

/// <summary><c>rlreg eval</c>: greedy and sampled episodes of a trained run, reproducible, and a missing run named.</summary>
public sealed class EvalCommandTests : IDisposable
{
    private readonly string _root = Directory.CreateTempSubdirectory("rlreg-eval").FullName;

    public void Dispose() => Directory.Delete(_root, recursive: true);

    private string TrainShortRun()
    {
        string run = Path.Combine(_root, "run");
        var trained = CliRunner.Run("train", "--agent", "ppo", "--env", "CartPole-v1", "--steps", "4096", "--seed", "2",
            "--set", "num_steps=64", "--quiet", "--out", run);
        Assert.True(trained.ExitCode == 0, trained.Error);
        return run;
    }

    private static JsonElement Summary(CliRunner.Result result) => result.Output.Split('\n', StringSplitOptions.RemoveEmptyEntries)
        .Where(l => l.StartsWith('{')).Select(l => JsonDocument.Parse(l).RootElement.Clone()).Single();

    [Fact]
    public void GreedyAndSampledEpisodesAreReportedAndReproducible()
    {
        string run = TrainShortRun();
        var greedy = CliRunner.Run("eval", "--run", run, "--episodes", "4");
        Assert.True(greedy.ExitCode == 0, greedy.Error);
        JsonElement g = Summary(greedy);
        Assert.Equal("greedy", g.GetProperty("policy").GetString());
        Assert.Equal(4, g.GetProperty("episodes").GetInt32());
        Assert.InRange(g.GetProperty("mean_length").GetDouble(), 1, 500);
        Assert.Equal(g.GetProperty("mean_return").GetDouble(), g.GetProperty("mean_length").GetDouble()); // CartPole: +1 per step

        var sampled = CliRunner.Run("eval", "--run", run, "--episodes", "4", "--stochastic");
        Assert.True(sampled.ExitCode == 0, sampled.Error);
        Assert.Contains("4 sampled episodes", sampled.Output);
        Assert.Equal("stochastic", Summary(sampled).GetProperty("policy").GetString());
        // The checkpoint holds the sampling generator's state: the same command gives the same episodes.
        Assert.Equal(sampled.Output, CliRunner.Run("eval", "--run", run, "--episodes", "4", "--stochastic").Output);
    }

    [Fact]
    public void GifRecordsTheFirstEpisodeFrameByFrame()
    {
        string run = TrainShortRun();
        string gif = Path.Combine(_root, "episode.gif");
        var recorded = CliRunner.Run("eval", "--run", run, "--episodes", "2", "--gif", gif);
        Assert.True(recorded.ExitCode == 0, recorded.Error);
        using var animation = Image.Load(gif);
        // One frame after the reset and one after every step of the first episode, 600×400 as Gymnasium's CartPole.
        Assert.Contains($"recorded episode 1 (", recorded.Error);
        Assert.Equal((600, 400), (animation.Width, animation.Height));
        int frames = animation.Frames.Count;
        Assert.InRange(frames, 2, 501);
        Assert.Contains($"({frames} frames)", recorded.Error);
        Assert.Equal(2, animation.Frames.RootFrame.Metadata.GetGifMetadata().FrameDelay); // 50 fps
        var intoFolder = CliRunner.Run("eval", "--run", run, "--gif", _root);
        Assert.Equal(2, intoFolder.ExitCode);
        Assert.Contains("--gif", intoFolder.Error);
    }

    [Fact]
    public void MissingRunIsNamed()
    {
        string missing = Path.Combine(_root, "nothing-here");
        var result = CliRunner.Run("eval", "--run", missing);
        Assert.NotEqual(0, result.ExitCode);
        Assert.Contains(missing, result.Error);
    }
}
