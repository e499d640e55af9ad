using RLRegularity.Envs.MiniGrid.Tasks;

namespace RLRegularity.Envs.MiniGrid.Worlds;

/// <summary>Minigrid's PutNear: distinct objects placed apart from each other; pick up the named one and drop it next to the other named one.</summary>
public sealed class PutNearWorld : MiniGridEnv
{
    private static readonly ObjectType[] Kinds = [ObjectType.Key, ObjectType.Ball, ObjectType.Box];
    private readonly int _numObjects;

    /// <summary>A <paramref name="size"/>² room with <paramref name="numObjects"/> objects, max_steps 5·size.</summary>
    public PutNearWorld(int size = 6, int numObjects = 2) : base(size, size, 5 * size, seeThroughWalls: true) => _numObjects = numObjects;

    protected override void GenerateGrid(int width, int height)
    {
        Grid.WallRect(0, 0, width, height);
        var objects = new List<WorldObject>();
        var positions = new List<GridPosition>();
        bool NearAnother(GridPosition p) => positions.Any(q => Math.Abs(p.X - q.X) <= 1 && Math.Abs(p.Y - q.Y) <= 1);
        while (objects.Count < _numObjects)
        {
            ObjectType type = RandElem(Kinds);
            ObjectColor color = RandColor();
            var obj = new WorldObject(type, color, 0);
            if (objects.Contains(obj)) continue;
            positions.Add(PlaceObject(obj, reject: NearAnother));
            objects.Add(obj);
        }
        PlaceAgent();
        int moveIndex = RandInt(0, objects.Count);
        int targetIndex;
        do targetIndex = RandInt(0, objects.Count);
        while (targetIndex == moveIndex);
        WorldObject move = objects[moveIndex], target = objects[targetIndex];
        Mission = $"put the {move.Describe()} near the {target.Describe()}";
        Task = new PutNearTask(move.Type, move.Color, target.Type, target.Color);
    }
}
