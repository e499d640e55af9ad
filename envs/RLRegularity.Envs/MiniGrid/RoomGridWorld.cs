namespace RLRegularity.Envs.MiniGrid;

/// <summary>
/// Minigrid's <c>RoomGrid</c>: a grid of equal square rooms sharing walls, with a door position drawn on each inner
/// wall, and the helpers the room-based families use (add an object or a door to a room, remove a wall, place the
/// agent so it does not face an object, connect every room, add distractors).
/// </summary>
public abstract class RoomGridWorld : MiniGridEnv
{
    private static readonly ObjectType[] ObjectKinds = [ObjectType.Key, ObjectType.Ball, ObjectType.Box];

    /// <summary>A <paramref name="numRows"/> × <paramref name="numCols"/> grid of rooms of side <paramref name="roomSize"/> (walls included).</summary>
    protected RoomGridWorld(int roomSize = 7, int numRows = 3, int numCols = 3, int maxSteps = 100, int agentViewSize = DefaultViewSize)
        : base((roomSize - 1) * CheckPositive(numCols) + 1, (roomSize - 1) * CheckPositive(numRows) + 1, maxSteps, agentViewSize)
    {
        if (roomSize < 3) throw new ArgumentOutOfRangeException(nameof(roomSize), roomSize, "rooms are at least 3 cells wide");
        RoomSize = roomSize;
        NumRows = numRows;
        NumCols = numCols;
        Rooms = new GridRoom[numRows, numCols];
    }

    private static int CheckPositive(int n) => n > 0 ? n : throw new ArgumentOutOfRangeException(nameof(n), n, "need at least one row and column of rooms");

    /// <summary>Side of a room, walls included.</summary>
    protected int RoomSize { get; }

    /// <summary>Rows of rooms.</summary>
    protected int NumRows { get; }

    /// <summary>Columns of rooms.</summary>
    protected int NumCols { get; }

    /// <summary>The rooms, indexed [row j, column i].</summary>
    protected GridRoom[,] Rooms { get; }

    /// <summary>Room (column <paramref name="i"/>, row <paramref name="j"/>).</summary>
    protected GridRoom Room(int i, int j) => Rooms[j, i];

    /// <summary>The room holding cell (x, y).</summary>
    protected GridRoom RoomAt(int x, int y) => Rooms[y / (RoomSize - 1), x / (RoomSize - 1)];

    /// <summary>RoomGrid's <c>_gen_grid</c>: walls, door positions, and the agent in the middle room facing right. Families call it first.</summary>
    protected override void GenerateGrid(int width, int height)
    {
        for (int j = 0; j < NumRows; j++)
        {
            for (int i = 0; i < NumCols; i++)
            {
                var room = new GridRoom(new(i * (RoomSize - 1), j * (RoomSize - 1)), RoomSize, RoomSize);
                Rooms[j, i] = room;
                Grid.WallRect(room.Top.X, room.Top.Y, RoomSize, RoomSize);
            }
        }
        for (int j = 0; j < NumRows; j++)
        {
            for (int i = 0; i < NumCols; i++)
            {
                GridRoom room = Rooms[j, i];
                int xl = room.Top.X + 1, yl = room.Top.Y + 1, xm = room.Top.X + room.Width - 1, ym = room.Top.Y + room.Height - 1;
                if (i < NumCols - 1)
                {
                    room.Neighbors[0] = Rooms[j, i + 1];
                    room.DoorPositions[0] = new(xm, RandInt(yl, ym));
                }
                if (j < NumRows - 1)
                {
                    room.Neighbors[1] = Rooms[j + 1, i];
                    room.DoorPositions[1] = new(RandInt(xl, xm), ym);
                }
                if (i > 0)
                {
                    room.Neighbors[2] = Rooms[j, i - 1];
                    room.DoorPositions[2] = room.Neighbors[2]!.DoorPositions[0];
                }
                if (j > 0)
                {
                    room.Neighbors[3] = Rooms[j - 1, i];
                    room.DoorPositions[3] = room.Neighbors[3]!.DoorPositions[1];
                }
            }
        }
        SetAgent(new((NumCols / 2) * (RoomSize - 1) + RoomSize / 2, (NumRows / 2) * (RoomSize - 1) + RoomSize / 2), 0);
    }

    /// <summary><c>place_in_room</c>: puts <paramref name="obj"/> in room (i, j), not next to the agent (Manhattan distance ≥ 2), within 1000 tries.</summary>
    protected GridPosition PlaceInRoom(int i, int j, WorldObject obj, WorldObject contents = default)
    {
        GridRoom room = Room(i, j);
        GridPosition a = AgentPosition;
        GridPosition pos = PlaceObject(obj, room.Top, (room.Width, room.Height),
            p => Math.Abs(a.X - p.X) + Math.Abs(a.Y - p.Y) < 2, 1000, contents);
        room.Objects.Add(obj);
        return pos;
    }

    /// <summary><c>add_object</c>: a key, ball or box (random kind and colour unless given) in room (i, j).</summary>
    protected (WorldObject Obj, GridPosition Pos) AddObject(int i, int j, ObjectType? kind = null, ObjectColor? color = null)
    {
        ObjectType k = kind ?? RandElem(ObjectKinds);
        ObjectColor c = color ?? RandColor();
        WorldObject obj = k switch
        {
            ObjectType.Key => WorldObject.Key(c),
            ObjectType.Ball => WorldObject.Ball(c),
            ObjectType.Box => WorldObject.Box(c),
            _ => throw new ArgumentException($"rooms hold keys, balls or boxes, not {k}", nameof(kind)),
        };
        return (obj, PlaceInRoom(i, j, obj));
    }

    /// <summary><c>add_door</c>: a door (random free wall, colour and lock unless given) between room (i, j) and its neighbour.</summary>
    protected (WorldObject Door, GridPosition Pos) AddDoor(int i, int j, int? doorIndex = null, ObjectColor? color = null, bool? locked = null)
    {
        GridRoom room = Room(i, j);
        int k;
        if (doorIndex is int given)
        {
            k = given;
        }
        else
        {
            do k = RandInt(0, 4);
            while (room.Neighbors[k] is null || room.Connected[k]);
        }
        ObjectColor c = color ?? RandColor();
        bool isLocked = locked ?? RandBool();
        if (room.Connected[k]) throw new InvalidOperationException($"room ({i}, {j}) already has a door on wall {k}");
        room.Locked = isLocked;
        WorldObject door = WorldObject.Door(c, isLocked ? DoorState.Locked : DoorState.Closed);
        GridPosition pos = room.DoorPositions[k] ?? throw new InvalidOperationException($"room ({i}, {j}) has no neighbour behind wall {k}");
        Grid.Set(pos, door);
        room.Connected[k] = true;
        room.Neighbors[k]!.Connected[(k + 2) % 4] = true;
        return (door, pos);
    }

    /// <summary><c>remove_wall</c>: opens the whole wall <paramref name="wallIndex"/> of room (i, j) (corners stay).</summary>
    protected void RemoveWall(int i, int j, int wallIndex)
    {
        GridRoom room = Room(i, j);
        if (room.Connected[wallIndex] || room.Neighbors[wallIndex] is null) throw new InvalidOperationException($"cannot remove wall {wallIndex} of room ({i}, {j})");
        int tx = room.Top.X, ty = room.Top.Y, w = room.Width, h = room.Height;
        switch (wallIndex)
        {
            case 0: for (int k = 1; k < h - 1; k++) Grid.Set(tx + w - 1, ty + k, WorldObject.None); break;
            case 1: for (int k = 1; k < w - 1; k++) Grid.Set(tx + k, ty + h - 1, WorldObject.None); break;
            case 2: for (int k = 1; k < h - 1; k++) Grid.Set(tx, ty + k, WorldObject.None); break;
            default: for (int k = 1; k < w - 1; k++) Grid.Set(tx + k, ty, WorldObject.None); break;
        }
        room.Connected[wallIndex] = true;
        room.Neighbors[wallIndex]!.Connected[(wallIndex + 2) % 4] = true;
    }

    /// <summary>RoomGrid's <c>place_agent</c>: in room (i, j) (random unless given), redrawn until the agent faces nothing or a wall.</summary>
    protected GridPosition PlaceAgentInRoom(int? i = null, int? j = null, bool randomDirection = true)
    {
        int ri = i ?? RandInt(0, NumCols);
        int rj = j ?? RandInt(0, NumRows);
        GridRoom room = Room(ri, rj);
        while (true)
        {
            PlaceAgent(room.Top, (room.Width, room.Height), randomDirection, 1000);
            GridPosition f = FrontPosition;
            WorldObject front = Grid.Get(f);
            if (front.IsNone || front.Type == ObjectType.Wall) return AgentPosition;
        }
    }

    /// <summary><c>connect_all</c>: adds unlocked doors at random until every room is reachable from the agent's room.</summary>
    protected List<WorldObject> ConnectAll(IReadOnlyList<ObjectColor>? doorColors = null, int maxIterations = 5000)
    {
        IReadOnlyList<ObjectColor> colors = doorColors ?? ObjectColors.ChoiceOrder;
        GridRoom start = RoomAt(AgentPosition.X, AgentPosition.Y);
        var added = new List<WorldObject>();
        int iterations = 0;
        while (true)
        {
            if (iterations > maxIterations) throw new InvalidOperationException("connect_all failed");
            iterations++;
            if (Reachable(start) == NumRows * NumCols) break;
            int i = RandInt(0, NumCols), j = RandInt(0, NumRows), k = RandInt(0, 4);
            GridRoom room = Room(i, j);
            if (room.DoorPositions[k] is null || room.Connected[k]) continue;
            if (room.Locked || room.Neighbors[k]!.Locked) continue;
            ObjectColor color = RandElem(colors);
            added.Add(AddDoor(i, j, k, color, false).Door);
        }
        return added;
    }

    private static int Reachable(GridRoom start)
    {
        var reach = new HashSet<GridRoom>();
        var stack = new Stack<GridRoom>();
        stack.Push(start);
        while (stack.Count > 0)
        {
            GridRoom room = stack.Pop();
            if (!reach.Add(room)) continue;
            for (int k = 0; k < 4; k++)
            {
                if (room.Connected[k]) stack.Push(room.Neighbors[k]!);
            }
        }
        return reach.Count;
    }

    /// <summary><c>add_distractors</c>: random objects (unique (type, colour) pairs unless <paramref name="allUnique"/> is false) in random or given rooms.</summary>
    protected List<WorldObject> AddDistractors(int? i = null, int? j = null, int count = 10, bool allUnique = true)
    {
        var existing = new List<WorldObject>();
        foreach (GridRoom room in Rooms) existing.AddRange(room.Objects);
        var added = new List<WorldObject>();
        while (added.Count < count)
        {
            ObjectColor color = RandElem(ObjectColors.ChoiceOrder);
            ObjectType type = RandElem(ObjectKinds);
            if (allUnique && existing.Any(o => o.Type == type && o.Color == color)) continue;
            int ri = i ?? RandInt(0, NumCols);
            int rj = j ?? RandInt(0, NumRows);
            WorldObject obj = AddObject(ri, rj, type, color).Obj;
            existing.Add(obj);
            added.Add(obj);
        }
        return added;
    }
}
