using RLRegularity.Envs.Core;
using RLRegularity.Envs.MiniGrid;
using static RLRegularity.Envs.Tests.MiniGrid.Worlds.WorldChecks;

namespace RLRegularity.Envs.Tests.MiniGrid;

/// <summary>
/// Rules that the audit of every family against Minigrid 3.0.0's source (issue 11, item 2) found ported differently,
/// each pinned on a small level or a registered id as the package's source states it (docs/minigrid-rules.md).
/// </summary>
public sealed class FamilyRuleAuditTests
{
    // MemoryS7 as MemoryEnv._gen_grid lays it out: start-room key at (1, 2), a ball at (5, 1) and a key at (5, 5) at
    // the end of the hallway, so (5, 4) is the success cell and (5, 2) the failure cell.
    private static string MemoryS7(string agentRow3) =>
        "mission: go to the matching object at the end of the hallway\n" +
        "##############\n" +
        "##########Ag##\n" +
        "##Kg....##..##\n" +
        agentRow3 + "\n" +
        "##......##..##\n" +
        "##########Kg##\n" +
        "##############\n";

    private static LevelEnv Load(string text)
    {
        var env = new LevelEnv(TextLevel.Parse(text));
        env.Reset();
        return env;
    }

    [Fact]
    public void MemoryLevelTurnsPickupIntoToggleSoTheStartRoomObjectStays()
    {
        // MemoryEnv.step: if action == pickup: action = toggle.
        using LevelEnv env = Load(MemoryS7("##^^........##"));
        StepResult r = env.Step((int)MiniGridAction.Pickup);
        Assert.True(env.Carrying.IsNone);
        Assert.Equal(WorldObject.Key(ObjectColor.Green), env.Grid.Get(1, 2));
        Assert.False(r.Terminated);
        Assert.Equal(0, r.Reward);
    }

    [Fact]
    public void MemoryLevelEndsBesideTheMatchingObjectWithRewardAndBesideTheOtherWithout()
    {
        // MemoryEnv.step: agent_pos == success_pos gives _reward() and ends; agent_pos == failure_pos ends with 0.
        using LevelEnv toMatch = Load(MemoryS7("##........vv##"));
        StepResult success = toMatch.Step((int)MiniGridAction.Forward);
        Assert.True(success.Terminated);
        Assert.Equal(1 - 0.9 * 1 / toMatch.MaxSteps, success.Reward, 12);

        using LevelEnv toOther = Load(MemoryS7("##........^^##"));
        StepResult failure = toOther.Step((int)MiniGridAction.Forward);
        Assert.True(failure.Terminated);
        Assert.Equal(0, failure.Reward);
    }

    [Theory]
    [InlineData(MiniGridAction.Pickup)]
    [InlineData(MiniGridAction.Drop)]
    [InlineData(MiniGridAction.Toggle)]
    [InlineData(MiniGridAction.Done)]
    public void DynamicObstaclesTakesActionsBeyondItsThreeAsLeft(MiniGridAction action)
    {
        // DynamicObstaclesEnv.step: if action >= self.action_space.n: action = 0 (left).
        MiniGridEnv env = Make("MiniGrid-Dynamic-Obstacles-5x5-v0", 0);
        Assert.Equal((new GridPosition(1, 1), 0), (env.AgentPosition, env.AgentDirection));
        StepResult r = env.Step((int)action);
        Assert.Equal((new GridPosition(1, 1), 3), (env.AgentPosition, env.AgentDirection));
        Assert.False(r.Terminated);
        Assert.Equal(0, r.Reward);
        Assert.Throws<ArgumentOutOfRangeException>(() => env.Step(7));
    }

    [Theory]
    [InlineData("MiniGrid-LavaCrossingS9N3-v0", 0L, new[]
    {
        "#########", "#.......#", "#VVVVVV.#", "#.....V.#", "#.....V.#", "#.....V.#", "#VVVVVV.#", "#.....VG#", "#########",
    })]
    [InlineData("MiniGrid-SimpleCrossingS11N5-v0", 1L, new[]
    {
        "###########", "#...#.#...#", "###.#######", "#.#.#.#...#", "###.#######", "#.#.#.#...#", "#.#...#...#",
        "#.#.#.....#", "#.#.#.#...#", "#.#.#.#..G#", "###########",
    })]
    public void CrossingGivesPythonsLevelForTheSameSeed(string id, long seed, string[] rows)
    {
        // CrossingEnv._gen_grid shuffles its rivers and its path with np_random.shuffle; the rows are what
        // gym.make(id).reset(seed=seed) builds in Python Minigrid 3.0.0 (# wall, V lava, G goal, . empty).
        MiniGridEnv env = Make(id, seed);
        string[] ours = [.. Enumerable.Range(0, env.Height).Select(y => string.Concat(Enumerable.Range(0, env.Width).Select(x => env.Grid.Get(x, y) switch
        {
            { IsNone: true } => '.',
            { Type: ObjectType.Wall } => '#',
            { Type: ObjectType.Lava } => 'V',
            { Type: ObjectType.Goal } => 'G',
            _ => '?',
        })))];
        Assert.Equal(rows, ours);
    }
}
