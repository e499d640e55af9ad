namespace RLRegularity.Envs.MiniGrid.Worlds;

/// <summary>Minigrid's DoorKey: a wall column splits the room; the agent and a yellow key are on the left, a locked yellow door in the wall, the goal in the bottom-right corner.</summary>
public sealed class DoorKeyWorld : MiniGridEnv
{
    /// <summary>A <paramref name="size"/>² room, max_steps 10·size².</summary>
    public DoorKeyWorld(int size = 8) : base(size, size, 10 * size * size) { }

    protected override void GenerateGrid(int width, int height)
    {
        Grid.WallRect(0, 0, width, height);
        PutObject(WorldObject.Goal, width - 2, height - 2);
        int split = RandInt(2, width - 2);
        Grid.VerticalWall(split, 0);
        PlaceAgent(size: (split, height));
        int door = RandInt(1, width - 2);
        PutObject(WorldObject.Door(ObjectColor.Yellow, DoorState.Locked), split, door);
        PlaceObject(WorldObject.Key(ObjectColor.Yellow), top: new(0, 0), size: (split, height));
        Mission = "use the key to open the door and then get to the goal";
    }
}
