namespace RLRegularity.Envs.MiniGrid.Worlds;

/// <summary>Minigrid's LavaGap: a vertical strip of lava with one gap between the agent (top-left, facing right) and the goal (bottom-right).</summary>
public sealed class LavaGapWorld : MiniGridEnv
{
    /// <summary>A <paramref name="size"/>² room (at least 5), max_steps 4·size².</summary>
    public LavaGapWorld(int size) : base(size, size, 4 * size * size)
    {
        if (size < 5) throw new ArgumentOutOfRangeException(nameof(size), size, "LavaGap needs a room of at least 5x5");
    }

    protected override void GenerateGrid(int width, int height)
    {
        Grid.WallRect(0, 0, width, height);
        SetAgent(new(1, 1), 0);
        PutObject(WorldObject.Goal, width - 2, height - 2);
        int gapX = RandInt(2, width - 2);
        int gapY = RandInt(1, height - 1);
        Grid.VerticalWall(gapX, 1, height - 2, WorldObject.Lava);
        Grid.Set(gapX, gapY, WorldObject.None);
        Mission = "avoid the lava and get to the green goal square";
    }
}
