using System.Text.Json;
using RLRegularity.Agents.Common;
using RLRegularity.Envs.Core;
using Spectre.Console;

namespace RLRegularity.Cli.Tests;

/// <summary>The terminal displays: a training progress line that fits 80 columns and labels its times, and eval --render redrawing in place with the action per frame.</summary>
public sealed class TerminalTests : IDisposable
{
    private readonly string _root = Directory.CreateTempSubdirectory("rlreg-terminal").FullName;

    public void Dispose() => Directory.Delete(_root, recursive: true);

    private static (IAnsiConsole Console, StringWriter Output) Console80(bool ansi)
    {
        var writer = new StringWriter();
        IAnsiConsole console = AnsiConsole.Create(new AnsiConsoleSettings
        {
            Ansi = ansi ? AnsiSupport.Yes : AnsiSupport.No,
            ColorSystem = ColorSystemSupport.NoColors,
            Interactive = InteractionSupport.No,
            Out = new AnsiConsoleOutput(writer),
        });
        console.Profile.Width = 80;
        console.Profile.Height = 24;
        return (console, writer);
    }

    private static readonly ProgressState Busy = new("dqn MiniGrid-DoorKey-LavaGap-Switch-v0", 0.617,
        ["step 123,456,789/200,000,000", "R20 -123.4", "12,345 sps", "ep 1,234,567"], TimeSpan.FromSeconds(42), TimeSpan.FromSeconds(73));

    [Theory]
    [InlineData(80)]
    [InlineData(60)]
    [InlineData(120)]
    [InlineData(200)]
    public void TheProgressLineFitsTheWidthAndLabelsElapsedAndRemainingTime(int width)
    {
        string line = ProgressLine.Format(Busy, width);
        Assert.True(line.Length < width, $"{line.Length}: {line}");
        Assert.DoesNotContain('\n', line);
        Assert.EndsWith("elapsed 0:42 · remaining 1:13", line);
        Assert.Contains(" 62%", line);
        if (width >= 80) Assert.Contains("step 123,456,789/200,000,000", line);
        if (width >= 200) Assert.StartsWith("dqn MiniGrid-DoorKey-LavaGap-Switch-v0 ", line);
    }

    [Theory]
    [InlineData(42, "0:42")]
    [InlineData(3 * 3600 + 5 * 60 + 7, "3:05:07")]
    [InlineData(-1, "–")]
    public void TimesReadAsAClock(double seconds, string expected) => Assert.Equal(expected, ProgressLine.Clock(TimeSpan.FromSeconds(seconds)));

    [Fact]
    public void TheLineRendersAsOneLineOfAnEightyColumnConsole()
    {
        var (console, output) = Console80(ansi: false);
        console.Write(ProgressLine.Renderable(Busy, console.Profile.Width));
        string[] lines = output.ToString().Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Contains("remaining 1:13", Assert.Single(lines));
        Assert.True(lines[0].TrimEnd('\r').Length <= 80);
    }

    [Fact]
    public void TrainingProgressStaysWithinEightyColumns()
    {
        var settings = new RunSettings("ppo", "CartPole-PoleLengthSwitch-v0", 3, 2048, "classic", 1, 2048, 1);
        using var run = TrainingRun.Create(Path.Combine(_root, "run"), settings, AgentFactory.Resolve("ppo", "classic", null, ["num_steps=32"]));
        run.ProgressInterval = TimeSpan.Zero;
        var (console, output) = Console80(ansi: true);
        Assert.Equal(RunOutcome.Completed, TrainCommand.RunWithProgressBar(run, CancellationToken.None, console));
        // Cursor movements aside, no drawn line is wider than the terminal, and every redraw is one line.
        string[] lines = [.. System.Text.RegularExpressions.Regex.Replace(output.ToString(), @"\x1b\[[0-9;?]*[A-Za-z]", "\n")
            .Split('\n').Select(l => l.TrimEnd('\r')).Where(l => l.Length > 0)];
        Assert.All(lines, l => Assert.True(l.Length <= 80, $"{l.Length}: {l}"));
        Assert.Contains(lines, l => l.Contains("100%") && l.Contains("step 2,048/2,048") && l.Contains("remaining 0:00"));
        Assert.DoesNotContain(lines, l => l.StartsWith("step", StringComparison.Ordinal)); // no wrapped continuation
    }

    [Theory]
    [InlineData("CartPole-v1", 0, "push left")]
    [InlineData("CartPole-v1", 1, "push right")]
    [InlineData("Acrobot-v1", 2, "torque +1")]
    [InlineData("MiniGrid-DoorKey-5x5-v0", 0, "left")]
    [InlineData("MiniGrid-DoorKey-5x5-v0", 2, "forward")]
    [InlineData("MiniGrid-DoorKey-5x5-v0", 3, "pickup")]
    [InlineData("MiniGrid-DoorKey-5x5-v0", 5, "toggle")]
    [InlineData("MiniGrid-DistShift-Switch-v0", 6, "done")]
    public void ActionsAreNamedAsTheEnvironmentMeansThem(string id, int action, string name)
    {
        using IEnv env = EnvRegistry.Make(id);
        Assert.Equal(name, TerminalRendering.ActionName(env, action));
    }

    [Fact]
    public void EvalRenderRedrawsInPlaceWithTheActionOfEveryFrame()
    {
        string run = Path.Combine(_root, "run");
        var trained = CliRunner.Run("train", "--agent", "ppo", "--env", "CartPole-v1", "--steps", "2048", "--set", "num_steps=64", "--quiet", "--out", run);
        Assert.True(trained.ExitCode == 0, trained.Error);
        var r = CliRunner.Run("eval", "--run", run, "--episodes", "2", "--render", "--frame-delay", "0");
        Assert.True(r.ExitCode == 0, r.Error);
        JsonElement summary = JsonDocument.Parse(r.Output.Split('\n').Single(l => l.StartsWith('{'))).RootElement;
        int frames = (int)Math.Round(summary.GetProperty("mean_length").GetDouble() * 2);

        Assert.StartsWith("\u001b[2J", r.Output); // cleared once
        string[] drawn = r.Output.Split("\u001b[H")[1..];
        Assert.Equal(frames, drawn.Length); // every frame starts at the top-left corner: redrawn, not appended
        Assert.All(drawn, frame =>
        {
            Assert.Single(frame.Split('\n'), l => l.StartsWith("ep ", StringComparison.Ordinal));
            Assert.Matches(@"action [01] \(push (left|right)\)", frame);
        });
    }
}
