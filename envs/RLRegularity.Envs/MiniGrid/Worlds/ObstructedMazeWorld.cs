using RLRegularity.Envs.MiniGrid.Tasks;

namespace RLRegularity.Envs.MiniGrid.Worlds;

/// <summary>
/// Minigrid's ObstructedMaze base: 6×6 rooms, door colours a random permutation of the six, a blue ball to pick up,
/// green balls blocking doors, grey boxes hiding keys. max_steps 4·rooms_visited·6².
/// </summary>
public abstract class ObstructedMazeWorld : RoomGridWorld
{
    /// <summary>The ball to find is blue (COLOR_NAMES[0]).</summary>
    protected const ObjectColor BallColor = ObjectColor.Blue;

    private const ObjectColor BlockingColor = ObjectColor.Green;
    private const ObjectColor BoxColor = ObjectColor.Grey;

    /// <summary>A <paramref name="numRows"/> × <paramref name="numCols"/> maze sized for <paramref name="roomsVisited"/> rooms.</summary>
    protected ObstructedMazeWorld(int numRows, int numCols, int roomsVisited) : base(6, numRows, numCols, 4 * roomsVisited * 36) { }

    /// <summary>The door colours of this episode (a random permutation of the six).</summary>
    protected List<ObjectColor> DoorColors { get; private set; } = [];

    protected override void GenerateGrid(int width, int height)
    {
        base.GenerateGrid(width, height);
        DoorColors = RandSubset(ObjectColors.ChoiceOrder, 6);
        Mission = "pick up the blue ball";
        Task = new PickUpTask(ObjectType.Ball, BallColor);
    }

    /// <summary>ObstructedMaze's <c>add_door</c>: a door; if locked, its key in the room (in a box if <paramref name="keyInBox"/>); a ball in front if <paramref name="blocked"/>.</summary>
    protected void AddObstructedDoor(int i, int j, int doorIndex, ObjectColor color, bool locked, bool keyInBox = false, bool blocked = false)
    {
        (WorldObject door, GridPosition pos) = AddDoor(i, j, doorIndex, color, locked);
        if (blocked)
        {
            GridPosition v = GridPosition.DirectionVector(doorIndex);
            Grid.Set(pos.X - v.X, pos.Y - v.Y, WorldObject.Ball(BlockingColor));
        }
        if (locked)
        {
            WorldObject key = WorldObject.Key(door.Color);
            if (keyInBox) PlaceInRoom(i, j, WorldObject.Box(BoxColor), key);
            else PlaceInRoom(i, j, key);
        }
    }
}
