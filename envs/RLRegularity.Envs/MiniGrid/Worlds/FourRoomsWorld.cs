namespace RLRegularity.Envs.MiniGrid.Worlds;

/// <summary>Minigrid's FourRooms: a 19×19 grid split into four rooms joined by one gap in each inner wall; random start and goal; max_steps 100.</summary>
public sealed class FourRoomsWorld : MiniGridEnv
{
    /// <summary>The registered configuration (19×19, random agent and goal).</summary>
    public FourRoomsWorld() : base(19, 19, 100) { }

    protected override void GenerateGrid(int width, int height)
    {
        Grid.HorizontalWall(0, 0);
        Grid.HorizontalWall(0, height - 1);
        Grid.VerticalWall(0, 0);
        Grid.VerticalWall(width - 1, 0);
        int roomW = width / 2, roomH = height / 2;
        for (int j = 0; j < 2; j++)
        {
            for (int i = 0; i < 2; i++)
            {
                int xL = i * roomW, yT = j * roomH, xR = xL + roomW, yB = yT + roomH;
                if (i + 1 < 2)
                {
                    Grid.VerticalWall(xR, yT, roomH);
                    Grid.Set(xR, RandInt(yT + 1, yB), WorldObject.None);
                }
                if (j + 1 < 2)
                {
                    Grid.HorizontalWall(xL, yB, roomW);
                    Grid.Set(RandInt(xL + 1, xR), yB, WorldObject.None);
                }
            }
        }
        PlaceAgent();
        PlaceObject(WorldObject.Goal);
        Mission = "reach the goal";
    }
}
