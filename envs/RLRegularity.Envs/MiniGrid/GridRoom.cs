namespace RLRegularity.Envs.MiniGrid;

/// <summary>One room of a <see cref="RoomGridWorld"/> (Minigrid's <c>Room</c>); walls and doors are indexed right, down, left, up.</summary>
public sealed class GridRoom
{
    internal GridRoom(GridPosition top, int width, int height)
    {
        Top = top;
        Width = width;
        Height = height;
    }

    /// <summary>The top-left wall corner.</summary>
    public GridPosition Top { get; }

    /// <summary>Width including walls.</summary>
    public int Width { get; }

    /// <summary>Height including walls.</summary>
    public int Height { get; }

    /// <summary>Where the door on each wall goes (null where there is no neighbouring room).</summary>
    public GridPosition?[] DoorPositions { get; } = new GridPosition?[4];

    /// <summary>The neighbouring room behind each wall, or null.</summary>
    public GridRoom?[] Neighbors { get; } = new GridRoom?[4];

    /// <summary>True where the wall has a door or was removed (the rooms connect).</summary>
    public bool[] Connected { get; } = new bool[4];

    /// <summary>True if this room's last added door was locked.</summary>
    public bool Locked { get; internal set; }

    /// <summary>The objects placed in the room by the generator.</summary>
    public List<WorldObject> Objects { get; } = [];

    /// <summary>True if (x, y) lies in the room, walls included.</summary>
    public bool Contains(int x, int y) => x >= Top.X && y >= Top.Y && x < Top.X + Width && y < Top.Y + Height;
}
