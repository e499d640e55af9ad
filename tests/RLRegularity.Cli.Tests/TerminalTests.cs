using RLRegularity.Agents.Common;
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
}
