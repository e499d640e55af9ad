namespace RLRegularity.Envs.MiniGrid.Worlds;

/// <summary>Minigrid's DistShift: a 9×7 room, start top-left facing right, goal top-right, two lava strips (row 1 and <c>strip2_row</c>).</summary>
public sealed class DistShiftWorld : MiniGridEnv
{
    private readonly int _strip2Row;

    /// <summary>DistShift1 uses <paramref name="strip2Row"/> 2, DistShift2 uses 5; max_steps 4·width·height.</summary>
    public DistShiftWorld(int strip2Row, int width = 9, int height = 7)
        : base(width, height, 4 * width * height, seeThroughWalls: true) => _strip2Row = strip2Row;

    protected override void GenerateGrid(int width, int height)
    {
        Grid.WallRect(0, 0, width, height);
        PutObject(WorldObject.Goal, width - 2, 1);
        for (int i = 0; i < width - 6; i++)
        {
            Grid.Set(3 + i, 1, WorldObject.Lava);
            Grid.Set(3 + i, _strip2Row, WorldObject.Lava);
        }
        SetAgent(new(1, 1), 0);
        Mission = "get to the green goal square";
    }
}
