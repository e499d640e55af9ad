using RLRegularity.Envs.MiniGrid.Tasks;

namespace RLRegularity.Envs.MiniGrid.Worlds;

/// <summary>Minigrid's Fetch: random keys and balls in a room; picking up anything ends the episode, rewarded if it is the named one.</summary>
public sealed class FetchWorld : MiniGridEnv
{
    private static readonly ObjectType[] Kinds = [ObjectType.Key, ObjectType.Ball];
    private static readonly string[] Syntax = ["get a", "go get a", "fetch a", "go fetch a", "you must fetch a"];
    private readonly int _numObjects;

    /// <summary>A <paramref name="size"/>² room with <paramref name="numObjects"/> objects, max_steps 5·size².</summary>
    public FetchWorld(int size = 8, int numObjects = 3) : base(size, size, 5 * size * size, seeThroughWalls: true) => _numObjects = numObjects;

    protected override void GenerateGrid(int width, int height)
    {
        Grid.WallRect(0, 0, width, height);
        var objects = new List<WorldObject>();
        while (objects.Count < _numObjects)
        {
            ObjectType type = RandElem(Kinds);
            var obj = new WorldObject(type, RandColor(), 0);
            PlaceObject(obj);
            objects.Add(obj);
        }
        PlaceAgent();
        WorldObject target = objects[RandInt(0, objects.Count)];
        Mission = $"{Syntax[RandInt(0, 5)]} {target.Describe()}";
        Task = new FetchTask(target.Type, target.Color);
    }
}
