using System.Globalization;
using RLRegularity.TestSupport;

namespace RLRegularity.Cli.Tests;

public sealed class EnvCommandTests
{
    private static string Join(IEnumerable<double> values) => string.Join(',', values.Select(v => v.ToString("R", CultureInfo.InvariantCulture)));

    [Fact]
    public void ListShowsEveryIdWithItsSpaces()
    {
        var r = CliRunner.Run("env", "list", "--json");
        Assert.Equal(0, r.ExitCode);
        var rows = r.JsonLines();
        var cartPole = Assert.Single(rows, x => x.GetProperty("id").GetString() == "CartPole-v1");
        Assert.Equal("Discrete(2)", cartPole.GetProperty("action_space").GetString());
        Assert.StartsWith("Box(", cartPole.GetProperty("observation_space").GetString());
        Assert.Equal(500, cartPole.GetProperty("max_episode_steps").GetInt32());
        Assert.Contains(rows, x => x.GetProperty("id").GetString() == "Acrobot-v1");
        Assert.Contains("CartPole-v1", CliRunner.Run("env", "list").Output);
    }

    [Fact]
    public void ReplayReproducesEveryGymnasiumCase()
    {
        foreach (ClassicCase c in ClassicReference.Load())
        {
            var r = CliRunner.Run("env", "replay", "--env", c.Env, "--state", Join(c.State), "--actions", string.Join(',', c.Actions));
            Assert.Equal(0, r.ExitCode);
            var steps = r.JsonLines();
            Assert.Equal(c.Steps.Length, steps.Count);
            for (int t = 0; t < steps.Count; t++)
            {
                double[] obs = [.. steps[t].GetProperty("obs").EnumerateArray().Select(v => v.GetDouble())];
                for (int k = 0; k < obs.Length; k++)
                    Assert.True(Math.Abs(obs[k] - c.Steps[t].Obs[k]) <= 1e-6, $"{c} step {t} obs[{k}]: {obs[k]} vs {c.Steps[t].Obs[k]}");
                Assert.Equal(c.Steps[t].Reward, steps[t].GetProperty("reward").GetDouble());
                Assert.Equal(c.Steps[t].Terminated, steps[t].GetProperty("terminated").GetBoolean());
                Assert.Equal(c.Steps[t].Truncated, steps[t].GetProperty("truncated").GetBoolean());
            }
        }
    }

    [Fact]
    public void ReplayStopsAtTheFirstEndAndIgnoresLaterActions()
    {
        var r = CliRunner.Run("env", "replay", "--env", "CartPole-v1", "--state", "0,0,0.2,1", "--actions", "0,0,0,0,0,0");
        Assert.Equal(0, r.ExitCode);
        var steps = r.JsonLines();
        Assert.True(steps[^1].GetProperty("terminated").GetBoolean());
        Assert.True(steps.Count < 6);
    }

    [Theory]
    [InlineData("--env", "Nope-v0", "--state", "0,0,0,0", "--actions", "0", "unknown environment id 'Nope-v0'")]
    [InlineData("--env", "CartPole-v1", "--state", "0,0,0", "--actions", "0", "has 4 state values")]
    [InlineData("--env", "CartPole-v1", "--state", "0,0,x,0", "--actions", "0", "value 3 ('x') is not a finite number")]
    [InlineData("--env", "CartPole-v1", "--state", "0,0,0,0", "--actions", "0,3", "action 2 (3) is not in Discrete(2)")]
    public void BadReplayInputIsAClearUsageError(string o1, string v1, string o2, string v2, string o3, string v3, string message)
    {
        var r = CliRunner.Run("env", "replay", o1, v1, o2, v2, o3, v3);
        Assert.Equal(CliApp.UsageError, r.ExitCode);
        Assert.Contains(message, r.Error);
        Assert.Equal("", r.Output);
    }

    [Fact]
    public void StatsReportsTheRandomPolicy()
    {
        var r = CliRunner.Run("env", "stats", "--env", "CartPole-v1", "--episodes", "200", "--policy", "random", "--seed", "0");
        Assert.Equal(0, r.ExitCode);
        var s = Assert.Single(r.JsonLines());
        Assert.Equal(200, s.GetProperty("episodes").GetInt32());
        Assert.InRange(s.GetProperty("mean_length").GetDouble(), 18, 28);
        Assert.Equal(s.GetProperty("mean_length").GetDouble(), s.GetProperty("mean_return").GetDouble());
        Assert.Equal(1.0, s.GetProperty("success_rate").GetDouble());
        Assert.True(s.GetProperty("std_length").GetDouble() > 0);
        // Same command, same numbers.
        Assert.Equal(r.Output, CliRunner.Run("env", "stats", "--env", "CartPole-v1", "--episodes", "200", "--policy", "random", "--seed", "0").Output);

        var acrobot = Assert.Single(CliRunner.Run("env", "stats", "--env", "Acrobot-v1", "--episodes", "3", "--seed", "1").JsonLines());
        Assert.Equal(0.0, acrobot.GetProperty("success_rate").GetDouble());
        Assert.True(acrobot.GetProperty("mean_return").GetDouble() < -100);
    }

    [Theory]
    [InlineData("--episodes", "0", "--episodes must be a positive integer")]
    [InlineData("--policy", "greedy", "greedy")]
    [InlineData("--seed", "-3", "--seed must be a non-negative integer, got -3")]
    public void BadStatsArgumentsAreRejected(string option, string value, string message)
    {
        var r = CliRunner.Run("env", "stats", "--env", "CartPole-v1", option, value);
        Assert.Equal(CliApp.UsageError, r.ExitCode);
        Assert.Contains(message, r.Error);
    }

    [Fact]
    public void EveryVerbHasHelp()
    {
        foreach (string[] verb in new[] { new[] { "env", "list" }, ["env", "replay"], ["env", "stats"], ["bench", "env"] })
        {
            var r = CliRunner.Run([.. verb, "--help"]);
            Assert.Equal(0, r.ExitCode);
            Assert.Contains("Usage:", r.Output);
        }
    }

    [Fact]
    public void BenchPrintsThroughput()
    {
        var r = CliRunner.Run("bench", "env", "--env", "CartPole-v1", "--seconds", "0.2");
        Assert.Equal(0, r.ExitCode);
        var b = Assert.Single(r.JsonLines());
        Assert.True(b.GetProperty("steps_per_second").GetDouble() > 0);
        Assert.True(b.GetProperty("episodes").GetInt64() > 0);
    }
}
