using RLRegularity.Envs.MiniGrid.Tasks;

namespace RLRegularity.Envs.MiniGrid.Worlds;

/// <summary>Minigrid's RedBlueDoors: a size×size room in a 2·size×size grid, a red door in its left wall and a blue door in its right wall; open red, then blue.</summary>
public sealed class RedBlueDoorsWorld : MiniGridEnv
{
    private readonly int _size;

    /// <summary>Room side <paramref name="size"/>, max_steps 20·size².</summary>
    public RedBlueDoorsWorld(int size = 8) : base(2 * size, size, 20 * size * size) => _size = size;

    protected override void GenerateGrid(int width, int height)
    {
        int s = _size;
        Grid.WallRect(0, 0, 2 * s, s);
        Grid.WallRect(s / 2, 0, s, s);
        PlaceAgent(top: new(s / 2, 0), size: (s, s));
        Grid.Set(s / 2, RandInt(1, s - 1), WorldObject.Door(ObjectColor.Red));
        Grid.Set(s / 2 + s - 1, RandInt(1, s - 1), WorldObject.Door(ObjectColor.Blue));
        Mission = "open the red door then the blue door";
        Task = new RedBlueDoorsTask();
    }
}
