using RLRegularity.Envs.MiniGrid.Tasks;

namespace RLRegularity.Envs.MiniGrid.Worlds;

/// <summary>
/// Minigrid's Memory: a green key or ball in the start room; at the end of a hallway one key and one ball; walking
/// to the cell beside the matching one succeeds, beside the other fails. Pickup acts as toggle.
/// </summary>
public sealed class MemoryWorld : MiniGridEnv
{
    private readonly bool _randomLength;

    /// <summary>A <paramref name="size"/>² grid (odd), max_steps 5·size²; <paramref name="randomLength"/> draws the hallway's length.</summary>
    public MemoryWorld(int size = 8, bool randomLength = false) : base(size, size, 5 * size * size)
    {
        if (size % 2 == 0) throw new ArgumentOutOfRangeException(nameof(size), size, "Memory needs an odd size");
        _randomLength = randomLength;
    }

    protected override void GenerateGrid(int width, int height)
    {
        Grid.WallRect(0, 0, width, height);
        int upper = height / 2 - 2, lower = height / 2 + 2;
        int hallwayEnd = _randomLength ? RandInt(4, width - 2) : width - 3;
        for (int i = 1; i < 5; i++)
        {
            Grid.Set(i, upper, WorldObject.Wall());
            Grid.Set(i, lower, WorldObject.Wall());
        }
        Grid.Set(4, upper + 1, WorldObject.Wall());
        Grid.Set(4, lower - 1, WorldObject.Wall());
        for (int i = 5; i < hallwayEnd; i++)
        {
            Grid.Set(i, upper + 1, WorldObject.Wall());
            Grid.Set(i, lower - 1, WorldObject.Wall());
        }
        for (int j = 0; j < height; j++)
        {
            if (j != height / 2) Grid.Set(hallwayEnd, j, WorldObject.Wall());
            Grid.Set(hallwayEnd + 2, j, WorldObject.Wall());
        }
        SetAgent(new(RandInt(1, hallwayEnd + 1), height / 2), 0);
        ObjectType start = RandElem((ObjectType[])[ObjectType.Key, ObjectType.Ball]);
        Grid.Set(1, height / 2 - 1, new WorldObject(start, ObjectColor.Green, 0));
        ObjectType[] others = RandElem((ObjectType[][])[[ObjectType.Ball, ObjectType.Key], [ObjectType.Key, ObjectType.Ball]]);
        var pos0 = new GridPosition(hallwayEnd + 1, height / 2 - 2);
        var pos1 = new GridPosition(hallwayEnd + 1, height / 2 + 2);
        Grid.Set(pos0, new WorldObject(others[0], ObjectColor.Green, 0));
        Grid.Set(pos1, new WorldObject(others[1], ObjectColor.Green, 0));
        Mission = "go to the matching object at the end of the hallway";
        Task = new MemoryTask();
    }
}
