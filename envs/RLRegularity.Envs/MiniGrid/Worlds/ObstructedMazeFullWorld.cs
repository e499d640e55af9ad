namespace RLRegularity.Envs.MiniGrid.Worlds;

/// <summary>
/// Minigrid's ObstructedMaze Full (and 2Dl, 2Dlh, 2Dlhb, 1Q, 2Q): a 3×3 maze; the centre opens to the first
/// <c>num_quarters</c> side rooms, each with locked (optionally hidden-key, blocked) doors to its corners; the blue
/// ball is in one of those corners.
/// </summary>
public sealed class ObstructedMazeFullWorld : ObstructedMazeWorld
{
    private static readonly (int I, int J)[] SideRooms = [(2, 1), (1, 2), (0, 1), (1, 0)];
    private static readonly (int I, int J)[] Corners = [(2, 0), (2, 2), (0, 2), (0, 0)];
    private readonly (int I, int J) _agentRoom;
    private readonly bool _keyInBox, _blocked;
    private readonly int _quarters;

    /// <summary>The registered variants differ by agent room, hidden keys, blocking balls, quarters and rooms visited.</summary>
    public ObstructedMazeFullWorld((int I, int J) agentRoom, bool keyInBox = true, bool blocked = true, int numQuarters = 4, int roomsVisited = 25)
        : base(3, 3, roomsVisited)
    {
        if (numQuarters is < 1 or > 4) throw new ArgumentOutOfRangeException(nameof(numQuarters), numQuarters, "1 to 4 quarters");
        (_agentRoom, _keyInBox, _blocked, _quarters) = (agentRoom, keyInBox, blocked, numQuarters);
    }

    protected override void GenerateGrid(int width, int height)
    {
        base.GenerateGrid(width, height);
        for (int i = 0; i < _quarters; i++)
        {
            AddObstructedDoor(1, 1, i, DoorColors[i], locked: false);
            foreach (int k in (int[])[-1, 1])
            {
                int door = ((i + k) % 4 + 4) % 4;
                AddObstructedDoor(SideRooms[i].I, SideRooms[i].J, door, DoorColors[((i + k) % 6 + 6) % 6], locked: true, _keyInBox, _blocked);
            }
        }
        (int bi, int bj) = RandElem(Corners[.._quarters]);
        AddObject(bi, bj, ObjectType.Ball, BallColor);
        PlaceAgentInRoom(_agentRoom.I, _agentRoom.J);
    }
}
