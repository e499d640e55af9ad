using RLRegularity.Envs.Core;
using RLRegularity.Envs.MiniGrid;
using static RLRegularity.Envs.Tests.MiniGrid.Worlds.WorldChecks;

namespace RLRegularity.Envs.Tests.MiniGrid;

/// <summary>
/// Rules that the uniform-random-policy comparison with Python Minigrid 3.0.0 found ported differently, each pinned
/// on a small level or a registered id, as the package's source states them.
/// </summary>
public sealed class PortedRuleTests
{
    private static StepResult DoneOn(string level)
    {
        using var env = new LevelEnv(TextLevel.Parse(level));
        env.Reset();
        return env.Step((int)MiniGridAction.Done);
    }

    [Fact]
    public void GoToObjectRewardsDoneOnlyBesideTheTargetNotDiagonally()
    {
        // GoToObjectEnv.step: (ax == tx and abs(ay - ty) == 1) or (ay == ty and abs(ax - tx) == 1).
        StepResult diagonal = DoneOn("mission: go to the red key\n##########\n##>>....##\n##..Kr..##\n##########\n");
        Assert.True(diagonal.Terminated);
        Assert.Equal(0, diagonal.Reward);
        StepResult beside = DoneOn("mission: go to the red key\n##########\n##>>....##\n##Kr....##\n##########\n");
        Assert.True(beside.Terminated);
        Assert.True(beside.Reward > 0);
    }

    [Theory]
    [InlineData("MiniGrid-GoToDoor-5x5-v0", 5)]
    [InlineData("MiniGrid-GoToDoor-6x6-v0", 6)]
    [InlineData("MiniGrid-GoToDoor-8x8-v0", 8)]
    public void GoToDoorTruncatesAtFourTimesTheSizeSquared(string id, int size)
    {
        // GoToDoorEnv.__init__: max_steps = 4 * size**2.
        Assert.Equal(4 * size * size, Make(id, 0).MaxSteps);
    }

    [Fact]
    public void MultiRoomN4S5HasSixRoomsAsMinigridRegistersIt()
    {
        // minigrid/__init__.py: MiniGrid-MultiRoom-N4-S5-v0 has kwargs minNumRooms=6, maxNumRooms=6, maxRoomSize=5.
        foreach (long seed in Seeds)
        {
            MiniGridEnv env = Make("MiniGrid-MultiRoom-N4-S5-v0", seed);
            Assert.Equal(6 * 20, env.MaxSteps);
            // Six rooms are entered through five doors; when placement fails Minigrid retries until all six fit.
            Assert.Equal(5, All(env.Grid, o => o.Type == ObjectType.Door).Count);
        }
    }
}
