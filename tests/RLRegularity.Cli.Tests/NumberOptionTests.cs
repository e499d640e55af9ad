using System.CommandLine;
using RLRegularity.Agents.Comparison;

namespace RLRegularity.Cli.Tests;

/// <summary>Numeric options: the ways RL users write counts parse, and a value that does not parse is a one-line usage error, never a crash.</summary>
public sealed class NumberOptionTests : IDisposable
{
    private readonly string _root = Directory.CreateTempSubdirectory("rlreg-numbers").FullName;

    public void Dispose() => Directory.Delete(_root, recursive: true);

    private static ParseResult Parse(params string[] args) => CliApp.BuildRoot(new CliContext(TextWriter.Null, TextWriter.Null)).Parse(args);

    [Theory]
    [InlineData("100000", 100_000)]
    [InlineData("100_000", 100_000)]
    [InlineData("1e5", 100_000)]
    [InlineData("2E6", 2_000_000)]
    [InlineData("2.5e5", 250_000)]
    [InlineData("100k", 100_000)]
    [InlineData("1.5M", 1_500_000)]
    [InlineData("1m", 1_000_000)]
    [InlineData("2B", 2_000_000_000)]
    [InlineData("-3", -3)]
    public void CountsAcceptTheWaysRlUsersWriteThem(string text, long expected)
    {
        Assert.True(CliParsing.TryParseCount(text, out long value), text);
        Assert.Equal(expected, value);
    }

    [Theory]
    [InlineData("abc")]
    [InlineData("1.5e0")]
    [InlineData("1e-3")]
    [InlineData("0.5")]
    [InlineData("1.2345k")]
    [InlineData("_100")]
    [InlineData("1__0x")]
    [InlineData("1e30")]
    [InlineData("")]
    [InlineData("k")]
    public void CountsRejectWhatIsNotAWholeNumber(string text) => Assert.False(CliParsing.TryParseCount(text, out _), text);

    [Fact]
    public void CountOptionsOfEveryVerbTakeTheShortForms()
    {
        Assert.Equal(1_500_000, Parse("train", "--agent", "ppo", "--env", "CartPole-v1", "--steps", "1.5M").GetValue<long>("--steps"));
        Assert.Equal(100_000, Parse("train", "--agent", "ppo", "--env", "CartPole-v1", "--steps", "1e5", "--checkpoint-every", "10k").GetValue<long?>("--checkpoint-every") * 10);
        Assert.Equal(200_000, Parse("compare", "--agent", "ppo", "--env", "CartPole-v1", "--steps", "200_000").GetValue<long>("--steps"));
        Assert.Equal(300_000, Parse("bench", "train", "--agent", "ppo", "--steps", "3e5").GetValue<long>("--steps"));
        Assert.Equal(1000, Parse("eval", "--run", "x", "--episodes", "1k").GetValue<int>("--episodes"));
        Assert.Equal(2000, Parse("env", "stats", "--env", "CartPole-v1", "--episodes", "2e3").GetValue<int>("--episodes"));
        Assert.Equal(50, Parse("plot", "x", "--smooth", "5e1").GetValue<int>("--smooth"));
        Assert.Equal(0.5, Parse("bench", "env", "--env", "CartPole-v1", "--seconds", "0.5").GetValue<double>("--seconds"));
    }

    [Theory]
    [InlineData("abc", "abc")]
    [InlineData("1,2,x", "'x'")]
    [InlineData("1,2,2", "seed 2 appears twice")]
    [InlineData("0", "'0'")]
    [InlineData("1e8", "'1e8'")]
    [InlineData("1,-2", "'-2'")]
    public void CompareSeedsRejectWhatIsNeitherACountNorAList(string value, string named)
    {
        var r = CliRunner.Run("compare", "--agent", "ppo", "--env", "CartPole-v1", "--steps", "1000", "--seeds", value, "--out", Path.Combine(_root, "study"));
        Assert.Equal(CliApp.UsageError, r.ExitCode);
        Assert.Contains("--seeds", r.Error);
        Assert.Contains(named, r.Error);
        Assert.False(Directory.Exists(Path.Combine(_root, "study")));
    }

    [Fact]
    public void CompareSeedsAreACountOrAnExplicitList()
    {
        string[] common = ["compare", "--agent", "ppo", "--env", "CartPole-v1", "--steps", "1000"];
        Assert.Equal([1L, 2, 3], Parse([.. common, "--seeds", "3"]).GetValue<long[]>("--seeds")!);
        Assert.Equal([1L, 2, 3], Parse([.. common, "--seeds", "1,2,3"]).GetValue<long[]>("--seeds")!);
        Assert.Equal([0L, 7, 42], Parse([.. common, "--seeds", "0,7,42"]).GetValue<long[]>("--seeds")!);
        Assert.Empty(Parse([.. common, "--seeds", "0,7,42"]).Errors);
        // Without --seeds: the defaults (an absent array option reads as empty, which once made a study of no seeds).
        static long[] Absent(ParseResult p, long[] fallback) => CliParsing.SeedsOrDefault(p, p.CommandResult.Command.Options.OfType<Option<long[]>>().Single(o => o.Name == "--seeds"), fallback);
        Assert.Equal([1L, 2, 3, 4, 5], Absent(Parse(common), [1, 2, 3, 4, 5]));
        Assert.Equal([7L], Absent(Parse([.. common, "--seeds", "7,"]), [1, 2, 3, 4, 5]));
        Assert.Equal([1L, 2, 3, 4], Parse("bench", "train", "--agent", "ppo", "--seeds", "4").GetValue<long[]>("--seeds")!); // as compare's
        Assert.Equal([42L], Parse("bench", "train", "--agent", "ppo", "--seeds", "42,").GetValue<long[]>("--seeds")!);

        // Seeds 1..3 and 0,7,42 are different studies: their default folders differ.
        ComparisonStudy Study(long[] seeds) => new("ppo", "CartPole-v1", ["none"], seeds, 1000, "classic", []);
        Assert.EndsWith("3seeds-1000steps", Study([1, 2, 3]).DefaultFolder("runs"));
        Assert.EndsWith("seeds0+7+42-1000steps", Study([0, 7, 42]).DefaultFolder("runs"));
    }

    public static TheoryData<string[]> BadNumbers => new()
    {
        { ["train", "--agent", "ppo", "--env", "CartPole-v1", "--steps", "1.5e0"] },
        { ["train", "--agent", "ppo", "--env", "CartPole-v1", "--steps", "abc"] },
        { ["train", "--agent", "ppo", "--env", "CartPole-v1", "--steps", "1e-3"] },
        { ["train", "--agent", "ppo", "--env", "CartPole-v1", "--steps", "-5"] },
        { ["train", "--agent", "ppo", "--env", "CartPole-v1", "--steps", "1000", "--seed", "abc"] },
        { ["train", "--agent", "ppo", "--env", "CartPole-v1", "--steps", "1000", "--seed", "-1"] },
        { ["train", "--agent", "ppo", "--env", "CartPole-v1", "--steps", "1000", "--threads", "abc"] },
        { ["train", "--agent", "ppo", "--env", "CartPole-v1", "--steps", "1000", "--threads", "0"] },
        { ["train", "--agent", "ppo", "--env", "CartPole-v1", "--steps", "1000", "--checkpoint-every", "ten"] },
        { ["train", "--agent", "ppo", "--env", "CartPole-v1", "--steps", "1000", "--regularity-every", "0.5"] },
        { ["eval", "--run", "somewhere", "--episodes", "abc"] },
        { ["eval", "--run", "somewhere", "--seed", "x1"] },
        { ["eval", "--run", "somewhere", "--render", "--frame-delay", "fast"] },
        { ["compare", "--agent", "ppo", "--env", "CartPole-v1", "--seeds", "2", "--steps", "1e5x"] },
        { ["compare", "--agent", "ppo", "--env", "CartPole-v1", "--steps", "1000", "--jobs", "many"] },
        { ["plot", "somewhere", "--smooth", "abc"] },
        { ["bench", "train", "--agent", "ppo", "--steps", "lots"] },
        { ["bench", "env", "--env", "CartPole-v1", "--seconds", "abc"] },
        { ["bench", "env", "--env", "CartPole-v1", "--seed", "abc"] },
        { ["env", "stats", "--env", "CartPole-v1", "--episodes", "abc"] },
        { ["env", "stats", "--env", "CartPole-v1", "--seed", "1.5"] },
        { ["env", "replay", "--env", "CartPole-v1", "--state", "0,0,0,0", "--actions", "0", "--seed", "abc"] },
        { ["env", "step", "--layout", "x.txt", "--action", "left"] },
        { ["env", "step", "--layout", "x.txt", "--action", "7"] },
        { ["env", "render", "--env", "MiniGrid-Empty-5x5-v0", "--seed", "abc"] },
        { ["env", "render", "--env", "MiniGrid-Empty-5x5-v0", "--tile-size", "1e9"] },
        { ["env", "stats", "--env", "CartPole-v1", "--episodes", "1e99"] },
        { ["eval", "--run", "somewhere", "--episodes", "3e9"] },
    };

    [Theory]
    [MemberData(nameof(BadNumbers))]
    public void UnparsableNumbersAreOneLineUsageErrorsOnEveryVerb(string[] args)
    {
        string output = Path.Combine(_root, "out");
        string[] withOut = args[0] is "train" or "compare" ? [.. args, "--out", output] : args;
        var r = CliRunner.Run(withOut);
        Assert.Equal(CliApp.UsageError, r.ExitCode);
        string option = args[^2], value = args[^1];
        string[] errors = [.. r.Error.Split('\n', StringSplitOptions.RemoveEmptyEntries).Where(l => l.StartsWith("error:", StringComparison.Ordinal))];
        string error = Assert.Single(errors);
        Assert.Contains(option, error);
        Assert.Contains(value, error);
        Assert.Matches("integer|number|too large", error);
        Assert.DoesNotContain("   at ", r.Error);
        Assert.False(Directory.Exists(output));
    }
}
