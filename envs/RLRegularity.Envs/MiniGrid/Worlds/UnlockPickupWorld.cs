using RLRegularity.Envs.MiniGrid.Tasks;

namespace RLRegularity.Envs.MiniGrid.Worlds;

/// <summary>Minigrid's UnlockPickup: a box in the right room behind a locked door whose key is in the agent's room; pick up the box.</summary>
public sealed class UnlockPickupWorld : RoomGridWorld
{
    /// <summary>The registered configuration: two 6×6 rooms, max_steps 8·6².</summary>
    public UnlockPickupWorld() : base(6, 1, 2, 8 * 6 * 6) { }

    protected override void GenerateGrid(int width, int height)
    {
        base.GenerateGrid(width, height);
        WorldObject obj = AddObject(1, 0, ObjectType.Box).Obj;
        WorldObject door = AddDoor(0, 0, 0, locked: true).Door;
        AddObject(0, 0, ObjectType.Key, door.Color);
        PlaceAgentInRoom(0, 0);
        Mission = $"pick up the {obj.Describe()}";
        Task = new PickUpTask(obj.Type, obj.Color);
    }
}
