using System.Text.Json.Nodes;
using RLRegularity.Agents.Common;

namespace RLRegularity.Cli.Tests;

/// <summary>Help with mistakes: usage without a verb, the nearest name for misspelt verbs, options and env ids, typed --set errors, required options and defaults in --help.</summary>
public sealed class UsageMistakeTests : IDisposable
{
    private readonly string _root = Directory.CreateTempSubdirectory("rlreg-usage").FullName;

    public void Dispose() => Directory.Delete(_root, recursive: true);

    private static string ErrorLine(CliRunner.Result r) => Assert.Single(r.Error.Split('\n'), l => l.StartsWith("error:", StringComparison.Ordinal));

    [Theory]
    [InlineData(new string[0], "train")]
    [InlineData(new[] { "env" }, "replay")]
    [InlineData(new[] { "bench" }, "train")]
    public void ACommandGroupAloneShowsItsUsage(string[] args, string listed)
    {
        var r = CliRunner.Run(args);
        Assert.Equal(CliApp.UsageError, r.ExitCode);
        Assert.Contains("Usage:", r.Output);
        Assert.Contains(listed, r.Output);
        Assert.Contains("needs a command", r.Error);
    }

    [Theory]
    [InlineData(new[] { "trian" }, "unknown command 'trian'", "did you mean 'train'?")]
    [InlineData(new[] { "env", "lst" }, "unknown command 'lst'", "did you mean 'list'?")]
    [InlineData(new[] { "train", "--stesp", "100", "--agent", "ppo" }, "unknown option '--stesp'", "did you mean '--steps'?")]
    [InlineData(new[] { "compare", "--agent", "ppo", "--env", "CartPole-v1", "--steps", "10", "--seed", "3" }, "unknown option '--seed'", "did you mean '--seeds'?")]
    [InlineData(new[] { "eval", "--run", "x", "--episods=3" }, "unknown option '--episods'", "did you mean '--episodes'?")]
    [InlineData(new[] { "train", "--agent", "pppo", "--env", "CartPole-v1", "--steps", "10" }, "--agent: 'pppo' is not one of dqn, ppo", "did you mean 'ppo'?")]
    [InlineData(new[] { "env", "stats", "--env", "CartPole-v1", "--action-seeding", "indep" }, "'indep' is not one of same, independent", "did you mean 'independent'?")]
    public void MisspeltVerbsAndOptionsNameTheNearestValidOne(string[] args, string named, string suggestion)
    {
        var r = CliRunner.Run(args);
        Assert.Equal(CliApp.UsageError, r.ExitCode);
        string error = ErrorLine(r);
        Assert.Contains(named, error);
        Assert.Contains(suggestion, error);
    }

    [Fact]
    public void AMisspeltOptionBeforePlotsFolderIsBlamedNotTheFolder()
    {
        var r = CliRunner.Run("plot", "--metrc", _root);
        Assert.Equal(CliApp.UsageError, r.ExitCode);
        string error = ErrorLine(r);
        Assert.Contains("unknown option '--metrc'", error);
        Assert.Contains("did you mean '--metric'?", error);
        Assert.DoesNotContain(_root, r.Error);
    }

    [Fact]
    public void EnvIdsMatchRegardlessOfCase()
    {
        var r = CliRunner.Run("env", "stats", "--env", "cartpole-v1", "--episodes", "2");
        Assert.True(r.ExitCode == 0, r.Error);
        Assert.Equal("CartPole-v1", r.JsonLines()[0].GetProperty("env").GetString());
    }

    [Theory]
    [InlineData("cartpole-v0", "CartPole-v1")]
    [InlineData("CartPole", "CartPole-v1")]
    [InlineData("MiniGrid-DoorKey-5x5-v1", "MiniGrid-DoorKey-5x5-v0")]
    public void AnUnknownEnvIdNamesTheNearestInsteadOfListingAll(string typed, string nearest)
    {
        var r = CliRunner.Run("env", "stats", "--env", typed);
        Assert.Equal(CliApp.UsageError, r.ExitCode);
        string error = ErrorLine(r);
        Assert.Contains($"unknown environment id '{typed}'; did you mean {nearest}?", error);
        Assert.True(error.Length < 200, error);
    }

    [Theory]
    [InlineData("learning_rate=abc", "learning_rate expects a number (double), got 'abc'")]
    [InlineData("num_steps=1.5", "num_steps expects an integer (int), got '1.5'")]
    [InlineData("anneal_learning_rate=yes", "anneal_learning_rate expects true or false (bool), got 'yes'")]
    [InlineData("activation=sigmoid", "activation expects one of relu, tanh, got 'sigmoid'")]
    [InlineData("normalizer=foo", "normalizer expects one of none, bn, ln, wn, rn, rln, rnln, rnr, probe, got 'foo'")]
    [InlineData("normalizer_options.history_merge=both", "normalizer_options.history_merge expects one of pooled, exact, got 'both'")]
    [InlineData("hidden_sizes=64,x", "hidden_sizes expects a comma-separated list")]
    public void SetTypeErrorsNameTheExpectedTypeAndValidValues(string assignment, string message)
    {
        string run = Path.Combine(_root, "run");
        var r = CliRunner.Run("train", "--agent", "ppo", "--env", "CartPole-v1", "--steps", "100", "--set", assignment, "--out", run);
        Assert.Equal(CliApp.UsageError, r.ExitCode);
        Assert.Contains(message, ErrorLine(r));
        Assert.False(Directory.Exists(run));
    }

    [Fact]
    public void SetTakesWholeNumbersInScientificNotationForIntegerKeys()
    {
        JsonObject config = AgentFactory.Resolve("dqn", "tuned", null, ["buffer_size=1e5", "activation=TANH"]);
        Assert.Equal(100_000, config["buffer_size"]!.GetValue<int>());
        Assert.Equal("tanh", config["activation"]!.GetValue<string>());
    }

    [Fact]
    public void HelpMarksRequiredOptionsAndShowsDefaults()
    {
        string train = CliRunner.Run("train", "--help").Output;
        foreach (string option in new[] { "--agent", "--env", "--steps" })
            Assert.Contains("Required unless --resume is given", Assert.Single(train.Split('\n'), l => l.TrimStart().StartsWith(option + " ", StringComparison.Ordinal)));
        Assert.Contains("[default: 1]", Assert.Single(train.Split('\n'), l => l.TrimStart().StartsWith("--seed ", StringComparison.Ordinal)));

        string compare = CliRunner.Run("compare", "--help").Output;
        // Required, but not when a study file gives them.
        foreach (string option in new[] { "--agent", "--env" })
            Assert.Contains("Required unless --study is given", Assert.Single(compare.Split('\n'), l => l.TrimStart().StartsWith(option + " ", StringComparison.Ordinal)));
        Assert.Contains("Required unless --episodes or --study is given", Assert.Single(compare.Split('\n'), l => l.TrimStart().StartsWith("--steps ", StringComparison.Ordinal)));
        Assert.DoesNotContain(compare.Split('\n'), l => l.Contains("--run-cell") || l.Contains("--aggregate"));
        Assert.Contains("(default: 5, i.e. seeds 1..5)", compare);
        Assert.Contains("[default: CartPole-v1]", CliRunner.Run("bench", "train", "--help").Output);
    }
}
