namespace RLRegularity.Envs.MiniGrid.Worlds;

/// <summary>Minigrid's Playground: a 19×19 grid of 3×3 rooms joined by closed doors of random colours, twelve random objects, no mission and no reward; max_steps 100.</summary>
public sealed class PlaygroundWorld : MiniGridEnv
{
    private static readonly ObjectType[] Kinds = [ObjectType.Key, ObjectType.Ball, ObjectType.Box];

    /// <summary>The registered configuration.</summary>
    public PlaygroundWorld() : base(19, 19, 100) { }

    protected override void GenerateGrid(int width, int height)
    {
        Grid.WallRect(0, 0, width, height);
        int roomW = width / 3, roomH = height / 3;
        for (int j = 0; j < 3; j++)
        {
            for (int i = 0; i < 3; i++)
            {
                int xL = i * roomW, yT = j * roomH, xR = xL + roomW, yB = yT + roomH;
                if (i + 1 < 3)
                {
                    Grid.VerticalWall(xR, yT, roomH);
                    Grid.Set(xR, RandInt(yT + 1, yB - 1), WorldObject.Door(RandColor()));
                }
                if (j + 1 < 3)
                {
                    Grid.HorizontalWall(xL, yB, roomW);
                    Grid.Set(RandInt(xL + 1, xR - 1), yB, WorldObject.Door(RandColor()));
                }
            }
        }
        PlaceAgent();
        for (int n = 0; n < 12; n++)
        {
            ObjectType type = RandElem(Kinds);
            PlaceObject(new WorldObject(type, RandColor(), 0));
        }
        Mission = "";
    }
}
