namespace RLRegularity.Envs.MiniGrid;

/// <summary>A cell of the grid: x grows to the right, y grows downwards.</summary>
/// <param name="X">Column.</param>
/// <param name="Y">Row.</param>
public readonly record struct GridPosition(int X, int Y)
{
    /// <summary>The unit step of direction 0 right, 1 down, 2 left, 3 up (Minigrid's <c>DIR_TO_VEC</c>).</summary>
    public static GridPosition DirectionVector(int direction) => (direction & 3) switch
    {
        0 => new(1, 0),
        1 => new(0, 1),
        2 => new(-1, 0),
        _ => new(0, -1),
    };

    /// <summary>The neighbouring cell one step in <paramref name="direction"/>.</summary>
    public GridPosition Step(int direction)
    {
        GridPosition d = DirectionVector(direction);
        return new(X + d.X, Y + d.Y);
    }

    public override string ToString() => $"({X}, {Y})";
}
