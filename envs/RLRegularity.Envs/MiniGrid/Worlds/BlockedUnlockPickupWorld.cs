using RLRegularity.Envs.MiniGrid.Tasks;

namespace RLRegularity.Envs.MiniGrid.Worlds;

/// <summary>Minigrid's BlockedUnlockPickup: as UnlockPickup, with a ball blocking the locked door on the agent's side.</summary>
public sealed class BlockedUnlockPickupWorld : RoomGridWorld
{
    /// <summary>The registered configuration: two 6×6 rooms, max_steps 16·6².</summary>
    public BlockedUnlockPickupWorld() : base(6, 1, 2, 16 * 6 * 6) { }

    protected override void GenerateGrid(int width, int height)
    {
        base.GenerateGrid(width, height);
        WorldObject obj = AddObject(1, 0, ObjectType.Box).Obj;
        (WorldObject door, GridPosition pos) = AddDoor(0, 0, 0, locked: true);
        Grid.Set(pos.X - 1, pos.Y, WorldObject.Ball(RandColor()));
        AddObject(0, 0, ObjectType.Key, door.Color);
        PlaceAgentInRoom(0, 0);
        Mission = $"pick up the {obj.Describe()}";
        Task = new PickUpTask(obj.Type, obj.Color);
    }
}
