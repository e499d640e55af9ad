using RLRegularity.Envs.MiniGrid.Tasks;

namespace RLRegularity.Envs.MiniGrid.Worlds;

/// <summary>Minigrid's GoToDoor: a room of random size (5 to size) with four doors of distinct colours; stand next to the named door and signal done.</summary>
public sealed class GoToDoorWorld : MiniGridEnv
{
    /// <summary>A grid of <paramref name="size"/>² (at least 5), max_steps 4·size² (<c>GoToDoorEnv</c>'s default).</summary>
    public GoToDoorWorld(int size = 5) : base(size, size, 4 * size * size, seeThroughWalls: true)
    {
        if (size < 5) throw new ArgumentOutOfRangeException(nameof(size), size, "GoToDoor needs a grid of at least 5x5");
    }

    protected override void GenerateGrid(int width, int height)
    {
        int w = RandInt(5, width + 1), h = RandInt(5, height + 1);
        Grid.WallRect(0, 0, w, h);
        GridPosition[] doors =
        [
            new(RandInt(2, w - 2), 0),
            new(RandInt(2, w - 2), h - 1),
            new(0, RandInt(2, h - 2)),
            new(w - 1, RandInt(2, h - 2)),
        ];
        var colors = new List<ObjectColor>(4);
        while (colors.Count < doors.Length)
        {
            ObjectColor c = RandColor();
            if (!colors.Contains(c)) colors.Add(c);
        }
        for (int i = 0; i < doors.Length; i++) Grid.Set(doors[i], WorldObject.Door(colors[i]));
        PlaceAgent(size: (w, h));
        ObjectColor target = colors[RandInt(0, doors.Length)];
        Mission = $"go to the {ObjectColors.Name(target)} door";
        Task = new GoToDoorTask(target);
    }
}
