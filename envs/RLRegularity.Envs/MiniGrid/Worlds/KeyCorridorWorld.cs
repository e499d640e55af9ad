using RLRegularity.Envs.MiniGrid.Tasks;

namespace RLRegularity.Envs.MiniGrid.Worlds;

/// <summary>Minigrid's KeyCorridor: a hallway of rooms down the middle column; a ball behind a locked door on the right, its key in a room on the left; pick up the ball.</summary>
public sealed class KeyCorridorWorld : RoomGridWorld
{
    /// <summary><paramref name="numRows"/> rows of 3 rooms of side <paramref name="roomSize"/>; max_steps 30·roomSize².</summary>
    public KeyCorridorWorld(int roomSize = 6, int numRows = 3) : base(roomSize, numRows, 3, 30 * roomSize * roomSize) { }

    protected override void GenerateGrid(int width, int height)
    {
        base.GenerateGrid(width, height);
        for (int j = 1; j < NumRows; j++) RemoveWall(1, j, 3);
        int roomIndex = RandInt(0, NumRows);
        WorldObject door = AddDoor(2, roomIndex, 2, locked: true).Door;
        WorldObject obj = AddObject(2, roomIndex, ObjectType.Ball).Obj;
        AddObject(0, RandInt(0, NumRows), ObjectType.Key, door.Color);
        PlaceAgentInRoom(1, NumRows / 2);
        ConnectAll();
        Mission = $"pick up the {obj.Describe()}";
        Task = new PickUpTask(obj.Type, obj.Color);
    }
}
