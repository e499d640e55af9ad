using RLRegularity.Envs.MiniGrid.Tasks;

namespace RLRegularity.Envs.MiniGrid.Worlds;

/// <summary>Minigrid's Unlock: two 6×6 rooms joined by a locked door; its key is in the agent's room; open the door.</summary>
public sealed class UnlockWorld : RoomGridWorld
{
    /// <summary>The registered configuration: max_steps 8·6².</summary>
    public UnlockWorld() : base(6, 1, 2, 8 * 6 * 6) { }

    protected override void GenerateGrid(int width, int height)
    {
        base.GenerateGrid(width, height);
        WorldObject door = AddDoor(0, 0, 0, locked: true).Door;
        AddObject(0, 0, ObjectType.Key, door.Color);
        PlaceAgentInRoom(0, 0);
        Mission = "open the door";
        Task = new OpenDoorTask();
    }
}
