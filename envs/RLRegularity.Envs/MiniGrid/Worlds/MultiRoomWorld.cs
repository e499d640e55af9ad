namespace RLRegularity.Envs.MiniGrid.Worlds;

/// <summary>
/// Minigrid's MultiRoom: a chain of rooms of random sizes, each entered through a closed door of a colour different
/// from the previous door's; the agent starts in the first room, the goal is in the last. max_steps 20·maxNumRooms.
/// </summary>
public sealed class MultiRoomWorld : MiniGridEnv
{
    private readonly int _minRooms, _maxRooms, _maxRoomSize;
    private readonly List<(GridPosition Top, int W, int H, GridPosition EntryDoor)> _rooms = [];

    /// <summary>Between <paramref name="minRooms"/> and <paramref name="maxRooms"/> rooms of side 4 to <paramref name="maxRoomSize"/> in a 25×25 grid.</summary>
    public MultiRoomWorld(int minRooms, int maxRooms, int maxRoomSize = 10, int size = 25)
        : base(size, size, maxRooms * 20)
    {
        if (minRooms <= 0 || maxRooms < minRooms || maxRoomSize < 4) throw new ArgumentOutOfRangeException(nameof(minRooms), "need 0 < minRooms ≤ maxRooms and maxRoomSize ≥ 4");
        (_minRooms, _maxRooms, _maxRoomSize) = (minRooms, maxRooms, maxRoomSize);
    }

    protected override void GenerateGrid(int width, int height)
    {
        var best = new List<(GridPosition, int, int, GridPosition)>();
        int numRooms = RandInt(_minRooms, _maxRooms + 1);
        while (best.Count < numRooms)
        {
            _rooms.Clear();
            var entry = new GridPosition(RandInt(0, width - 2), RandInt(0, width - 2));
            PlaceRoom(numRooms, 4, _maxRoomSize, 2, entry);
            if (_rooms.Count > best.Count) best = [.. _rooms];
        }
        ObjectColor? previous = null;
        for (int idx = 0; idx < best.Count; idx++)
        {
            var (top, w, h, door) = best[idx];
            for (int i = 0; i < w; i++)
            {
                Grid.Set(top.X + i, top.Y, WorldObject.Wall());
                Grid.Set(top.X + i, top.Y + h - 1, WorldObject.Wall());
            }
            for (int j = 0; j < h; j++)
            {
                Grid.Set(top.X, top.Y + j, WorldObject.Wall());
                Grid.Set(top.X + w - 1, top.Y + j, WorldObject.Wall());
            }
            if (idx > 0)
            {
                // A colour other than the previous door's, drawn from the sorted names.
                ObjectColor color = RandElem(ObjectColors.ChoiceOrder.Where(c => c != previous).ToList());
                Grid.Set(door, WorldObject.Door(color));
                previous = color;
            }
        }
        PlaceAgent(best[0].Item1, (best[0].Item2, best[0].Item3));
        var last = best[^1];
        PlaceObject(WorldObject.Goal, last.Item1, (last.Item2, last.Item3));
        Mission = "traverse the rooms to get to the goal";
    }

    // _placeRoom: recursively chain rooms; returns false when this room does not fit (out of the grid or overlapping).
    private bool PlaceRoom(int numLeft, int minSize, int maxSize, int entryWall, GridPosition entry)
    {
        int w = RandInt(minSize, maxSize + 1), h = RandInt(minSize, maxSize + 1);
        int topX, topY;
        if (_rooms.Count == 0) (topX, topY) = (entry.X, entry.Y);
        else if (entryWall == 0) (topX, topY) = (entry.X - w + 1, RandInt(entry.Y - h + 2, entry.Y));
        else if (entryWall == 1) (topX, topY) = (RandInt(entry.X - w + 2, entry.X), entry.Y - h + 1);
        else if (entryWall == 2) (topX, topY) = (entry.X, RandInt(entry.Y - h + 2, entry.Y));
        else (topX, topY) = (RandInt(entry.X - w + 2, entry.X), entry.Y);
        if (topX < 0 || topY < 0) return false;
        if (topX + w > Width || topY + h >= Height) return false;
        for (int r = 0; r < _rooms.Count - 1; r++)
        {
            var (t, rw, rh, _) = _rooms[r];
            bool apart = topX + w < t.X || t.X + rw <= topX || topY + h < t.Y || t.Y + rh <= topY;
            if (!apart) return false;
        }
        _rooms.Add((new(topX, topY), w, h, entry));
        if (numLeft == 1) return true;
        for (int i = 0; i < 8; i++)
        {
            int[] walls = [.. new[] { 0, 1, 2, 3 }.Where(x => x != entryWall)];
            int exitWall = RandElem(walls);
            GridPosition exit = exitWall switch
            {
                0 => new(topX + w - 1, topY + RandInt(1, h - 1)),
                1 => new(topX + RandInt(1, w - 1), topY + h - 1),
                2 => new(topX, topY + RandInt(1, h - 1)),
                _ => new(topX + RandInt(1, w - 1), topY),
            };
            if (PlaceRoom(numLeft - 1, minSize, maxSize, (exitWall + 2) % 4, exit)) break;
        }
        return true;
    }
}
