namespace RLRegularity.Envs.MiniGrid.Worlds;

/// <summary>Minigrid's Empty: an empty room, the goal in the bottom-right corner, the agent in the top-left corner facing right (or anywhere, facing anywhere, in the Random variants).</summary>
public sealed class EmptyWorld : MiniGridEnv
{
    private readonly bool _randomStart;

    /// <summary>A <paramref name="size"/>² room, max_steps 4·size²; <paramref name="randomStart"/> places the agent at random.</summary>
    public EmptyWorld(int size = 8, bool randomStart = false)
        : base(size, size, 4 * size * size, seeThroughWalls: true) => _randomStart = randomStart;

    protected override void GenerateGrid(int width, int height)
    {
        Grid.WallRect(0, 0, width, height);
        PutObject(WorldObject.Goal, width - 2, height - 2);
        if (_randomStart) PlaceAgent();
        else SetAgent(new(1, 1), 0);
        Mission = "get to the green goal square";
    }
}
