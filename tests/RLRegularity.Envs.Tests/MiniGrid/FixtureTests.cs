using System.Text;
using System.Text.Json;
using RLRegularity.Envs.MiniGrid;
using RLRegularity.TestSupport;

namespace RLRegularity.Envs.Tests.MiniGrid;

/// <summary>Every situation of the Python Minigrid fixtures: observation and the outcome of each of the seven actions.</summary>
public sealed class FixtureTests
{
    public static TheoryData<int> FixtureIndices()
    {
        var data = new TheoryData<int>();
        foreach (MiniGridFixture f in MiniGridReference.Load()) data.Add(f.Index);
        return data;
    }

    private static MiniGridFixture Fixture(int index) => MiniGridReference.Load()[index];

    private static LevelEnv Load(MiniGridFixture f)
    {
        var env = new LevelEnv(GridDescriptionJson.Parse(f.GridJson));
        env.Reset();
        return env;
    }

    [Theory]
    [MemberData(nameof(FixtureIndices))]
    public void ObservationMatchesMinigrid(int index)
    {
        MiniGridFixture f = Fixture(index);
        using LevelEnv env = Load(f);
        var obs = new float[7 * 7 * 3];
        env.WriteObservation(obs);
        for (int y = 0; y < 7; y++)
        {
            for (int x = 0; x < 7; x++)
            {
                for (int c = 0; c < 3; c++)
                    Assert.True(f.Image[y][x][c] == (int)obs[(x * 7 + y) * 3 + c], $"{f}: image[{x},{y},{c}] is {obs[(x * 7 + y) * 3 + c]}, Minigrid {f.Image[y][x][c]}");
            }
        }
        Assert.Equal(f.Direction, env.AgentDirection);
        Assert.Equal(f.Mission, env.Mission);
    }

    [Theory]
    [MemberData(nameof(FixtureIndices))]
    public void EveryActionMatchesMinigrid(int index)
    {
        MiniGridFixture f = Fixture(index);
        foreach (var (action, expected) in f.Steps)
        {
            using LevelEnv env = Load(f);
            var r = env.Step(action);
            Assert.True(Math.Abs(expected.Reward - r.Reward) <= 1e-12, $"{f} action {action}: reward {r.Reward}, Minigrid {expected.Reward}");
            Assert.True(expected.Terminated == r.Terminated, $"{f} action {action}: terminated {r.Terminated}");
            Assert.True(expected.Truncated == r.Truncated, $"{f} action {action}: truncated {r.Truncated}");
            string after = Describe(env);
            Assert.True(MiniGridReference.SameJson(expected.AfterJson, after), $"{f} action {action}: after\n{after}\nMinigrid\n{expected.AfterJson}");
        }
    }

    [Fact]
    public void DescriptionRoundTrips()
    {
        foreach (MiniGridFixture f in MiniGridReference.Load())
        {
            using LevelEnv env = Load(f);
            Assert.True(MiniGridReference.SameJson(f.GridJson, Describe(env)), f.ToString());
        }
    }

    private static string Describe(IMiniGridEnv env)
    {
        var buffer = new MemoryStream();
        using (var w = new Utf8JsonWriter(buffer))
        {
            w.WriteStartObject();
            GridDescriptionJson.WriteProperties(w, env);
            w.WriteEndObject();
        }
        return Encoding.UTF8.GetString(buffer.ToArray());
    }
}
