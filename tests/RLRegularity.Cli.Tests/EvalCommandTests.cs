using System.Text.Json;
using RLRegularity.Envs.Core;
using RLRegularity.TestSupport;
using SixLabors.ImageSharp;
using SixLabors.ImageSharp.PixelFormats;

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
        // Frame for frame exact: the first is CartPole's drawing after the episode's reset (seed 10,000), pixel for pixel.
        using IEnv env = EnvRegistry.Make("CartPole-v1");
        env.Reset(10_000);
        byte[] expected = env.Find<RLRegularity.Envs.Rendering.IRenderableEnv>()!.Render().Pixels;
        using Image<Rgb24> decoded = Image.Load<Rgb24>(gif);
        var first = new byte[expected.Length];
        decoded.Frames.RootFrame.CopyPixelDataTo(first);
        Assert.Equal(expected, first);
        var intoFolder = CliRunner.Run("eval", "--run", run, "--gif", _root);
        Assert.Equal(2, intoFolder.ExitCode);
        Assert.Contains("--gif", intoFolder.Error);
    }

    [Fact]
    public void Mp4RecordsTheSameFramesAsTheGif()
    {
        string? ffmpeg = Mp4Recording.FindFfmpeg();
        string ffprobe = Path.Combine(Path.GetDirectoryName(ffmpeg ?? "/") ?? "/", "ffprobe");
        Assert.True(ffmpeg is not null && File.Exists(ffprobe), "--mp4 is checked with ffmpeg and ffprobe: run tools/install-test-prerequisites.sh (or apt-get install ffmpeg)");
        string run = TrainShortRun();
        string gif = Path.Combine(_root, "episode.gif"), mp4 = Path.Combine(_root, "episode.mp4");
        var recorded = CliRunner.Run("eval", "--run", run, "--episodes", "1", "--gif", gif, "--mp4", mp4);
        Assert.True(recorded.ExitCode == 0, recorded.Error);
        using var animation = Image.Load<Rgb24>(gif);
        (int code, string stream) = ChildProcess.Run(ffprobe, ["-v", "error", "-count_frames", "-select_streams", "v:0",
            "-show_entries", "stream=codec_name,width,height,nb_read_frames,r_frame_rate", "-of", "csv=p=0", mp4]);
        Assert.True(code == 0, stream);
        Assert.Equal($"h264,600,400,50/1,{animation.Frames.Count}", stream.Trim());
        Assert.Contains($"({animation.Frames.Count} frames) in {mp4}", recorded.Error);
        Assert.False(File.Exists(mp4 + ".partial"));

        // The video shows the episode: its first frame is the GIF's first frame up to H.264's loss.
        string raw = Path.Combine(_root, "first.rgb");
        Assert.Equal(0, ChildProcess.Run(ffmpeg!, ["-v", "error", "-i", mp4, "-frames:v", "1", "-f", "rawvideo", "-pix_fmt", "rgb24", raw]).ExitCode);
        byte[] decoded = File.ReadAllBytes(raw);
        var expected = new byte[600 * 400 * 3];
        animation.Frames.RootFrame.CopyPixelDataTo(expected);
        Assert.Equal(expected.Length, decoded.Length);
        double meanError = expected.Zip(decoded, (a, b) => (double)Math.Abs(a - b)).Average();
        Assert.True(meanError < 4, $"mean absolute error {meanError:F2} per channel");
    }

    [Fact]
    public void Mp4WithoutFfmpegIsAClearUsageError()
    {
        var e = Assert.Throws<CliUsageException>(() => Mp4Recording.Start(Path.Combine(_root, "x.mp4"), 50, searchPath: _root));
        Assert.Contains("apt-get install ffmpeg", e.Message);
        Assert.Contains("--gif needs nothing", e.Message);
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
