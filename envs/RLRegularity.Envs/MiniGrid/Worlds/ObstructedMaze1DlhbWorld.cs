namespace RLRegularity.Envs.MiniGrid.Worlds;

/// <summary>Minigrid's ObstructedMaze 1Dl/1Dlh/1Dlhb: two rooms, a locked door (key hidden in a box with h, door blocked by a ball with b), the blue ball behind it.</summary>
public sealed class ObstructedMaze1DlhbWorld(bool keyInBox = true, bool blocked = true) : ObstructedMazeWorld(1, 2, 2)
{
    protected override void GenerateGrid(int width, int height)
    {
        base.GenerateGrid(width, height);
        AddObstructedDoor(0, 0, 0, DoorColors[0], locked: true, keyInBox, blocked);
        AddObject(1, 0, ObjectType.Ball, BallColor);
        PlaceAgentInRoom(0, 0);
    }
}
