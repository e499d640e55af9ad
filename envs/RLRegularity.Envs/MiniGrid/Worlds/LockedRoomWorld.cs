namespace RLRegularity.Envs.MiniGrid.Worlds;

/// <summary>
/// Minigrid's LockedRoom: a hallway between two columns of three rooms with doors of distinct colours; one room is
/// locked and holds the goal, its key lies in another room; the mission names both rooms.
/// </summary>
public sealed class LockedRoomWorld : MiniGridEnv
{
    /// <summary>A <paramref name="size"/>² grid, max_steps 10·size.</summary>
    public LockedRoomWorld(int size = 19) : base(size, size, 10 * size) { }

    protected override void GenerateGrid(int width, int height)
    {
        Grid.WallRect(0, 0, width, height);
        int left = width / 2 - 2, right = width / 2 + 2;
        Grid.VerticalWall(left, 0);
        Grid.VerticalWall(right, 0);
        var rooms = new List<(GridPosition Top, int W, int H, GridPosition Door)>();
        for (int n = 0; n < 3; n++)
        {
            int j = n * (height / 3);
            for (int i = 0; i < left; i++) Grid.Set(i, j, WorldObject.Wall());
            for (int i = right; i < width; i++) Grid.Set(i, j, WorldObject.Wall());
            int roomW = left + 1, roomH = height / 3 + 1;
            rooms.Add((new(0, j), roomW, roomH, new(left, j + 3)));
            rooms.Add((new(right, j), roomW, roomH, new(right, j + 3)));
        }
        int locked = RandInt(0, rooms.Count);
        Grid.Set(RoomCell(rooms[locked]), WorldObject.Goal);
        var remaining = new List<ObjectColor>(ObjectColors.ChoiceOrder);
        var colors = new ObjectColor[rooms.Count];
        for (int r = 0; r < rooms.Count; r++)
        {
            ObjectColor c = RandElem(remaining);
            remaining.Remove(c);
            colors[r] = c;
            Grid.Set(rooms[r].Door, WorldObject.Door(c, r == locked ? DoorState.Locked : DoorState.Closed));
        }
        int keyRoom;
        do keyRoom = RandInt(0, rooms.Count);
        while (keyRoom == locked);
        Grid.Set(RoomCell(rooms[keyRoom]), WorldObject.Key(colors[locked]));
        PlaceAgent(new(left, 0), (right - left, height));
        string lockedColor = ObjectColors.Name(colors[locked]);
        Mission = $"get the {lockedColor} key from the {ObjectColors.Name(colors[keyRoom])} room, unlock the {lockedColor} door and go to the goal";
    }

    // LockedRoom.rand_pos: a cell strictly inside the room (x drawn first).
    private GridPosition RoomCell((GridPosition Top, int W, int H, GridPosition Door) room) =>
        RandPos(room.Top.X + 1, room.Top.X + room.W - 1, room.Top.Y + 1, room.Top.Y + room.H - 1);
}
