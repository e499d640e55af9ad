using RLRegularity.Envs.Core;
using RLRegularity.Envs.MiniGrid;

namespace RLRegularity.Envs.Tests.MiniGrid.Worlds;

/// <summary>Helpers for the family tests: build, reset, locate objects, search paths.</summary>
internal static class WorldChecks
{
    public static readonly long[] Seeds = [0, 1, 2, 3, 7, 11, 42, 1234];

    /// <summary>The registered environment, unwrapped, reset with <paramref name="seed"/>.</summary>
    public static MiniGridEnv Make(string id, long seed)
    {
        IEnv env = EnvRegistry.Make(id);
        env.Reset(seed);
        return Assert.IsAssignableFrom<MiniGridEnv>(env.Unwrapped);
    }

    public static List<(GridPosition Pos, WorldObject Obj)> All(Grid g, Func<WorldObject, bool> match)
    {
        var found = new List<(GridPosition, WorldObject)>();
        for (int y = 0; y < g.Height; y++)
        {
            for (int x = 0; x < g.Width; x++)
            {
                if (match(g.Get(x, y))) found.Add((new(x, y), g.Get(x, y)));
            }
        }
        return found;
    }

    public static (GridPosition Pos, WorldObject Obj) Single(Grid g, ObjectType type) => Assert.Single(All(g, o => o.Type == type));

    /// <summary>True if <paramref name="to"/> can be reached from <paramref name="from"/> moving through cells <paramref name="passable"/> accepts (the target itself need not be passable).</summary>
    public static bool Reachable(Grid g, GridPosition from, GridPosition to, Func<WorldObject, bool> passable)
    {
        var seen = new bool[g.Width, g.Height];
        var queue = new Queue<GridPosition>();
        queue.Enqueue(from);
        seen[from.X, from.Y] = true;
        while (queue.Count > 0)
        {
            GridPosition p = queue.Dequeue();
            if (p == to) return true;
            for (int d = 0; d < 4; d++)
            {
                GridPosition n = p.Step(d);
                if (!g.Contains(n.X, n.Y) || seen[n.X, n.Y]) continue;
                if (n != to && !passable(g.Get(n))) continue;
                seen[n.X, n.Y] = true;
                queue.Enqueue(n);
            }
        }
        return false;
    }

    /// <summary>Walkable for a solver: empty, goal, floor, and doors of any state (keys assumed found).</summary>
    public static bool Open(WorldObject o) => o.IsNone || o.Type is ObjectType.Goal or ObjectType.Floor or ObjectType.Door;

    /// <summary>Walkable without opening anything: empty, goal and floor.</summary>
    public static bool OpenNoDoors(WorldObject o) => o.IsNone || o.Type is ObjectType.Goal or ObjectType.Floor;
}
