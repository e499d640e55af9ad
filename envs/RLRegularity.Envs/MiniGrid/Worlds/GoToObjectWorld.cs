using RLRegularity.Envs.MiniGrid.Tasks;

namespace RLRegularity.Envs.MiniGrid.Worlds;

/// <summary>Minigrid's GoToObject: distinct random keys, balls and boxes in a room; stand next to the named one and signal done.</summary>
public sealed class GoToObjectWorld : MiniGridEnv
{
    private static readonly ObjectType[] Kinds = [ObjectType.Key, ObjectType.Ball, ObjectType.Box];
    private readonly int _numObjects;

    /// <summary>A <paramref name="size"/>² room with <paramref name="numObjects"/> objects, max_steps 5·size².</summary>
    public GoToObjectWorld(int size = 6, int numObjects = 2) : base(size, size, 5 * size * size, seeThroughWalls: true) => _numObjects = numObjects;

    protected override void GenerateGrid(int width, int height)
    {
        Grid.WallRect(0, 0, width, height);
        var objects = new List<WorldObject>();
        while (objects.Count < _numObjects)
        {
            ObjectType type = RandElem(Kinds);
            ObjectColor color = RandColor();
            var obj = new WorldObject(type, color, 0);
            if (objects.Contains(obj)) continue;
            PlaceObject(obj);
            objects.Add(obj);
        }
        PlaceAgent();
        WorldObject target = objects[RandInt(0, objects.Count)];
        Mission = $"go to the {target.Describe()}";
        Task = new GoToObjectTask(target.Type, target.Color);
    }
}
