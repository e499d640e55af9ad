namespace RLRegularity.Envs.MiniGrid;

/// <summary>
/// The world's cells (Minigrid's <c>Grid</c>): a <see cref="Width"/> × <see cref="Height"/> array of
/// <see cref="WorldObject"/>s, plus what each box holds.
/// </summary>
public sealed class Grid
{
    private readonly WorldObject[] _cells;
    private readonly WorldObject[] _contents;

    /// <summary>Creates an empty grid; both sides must be at least 3 (as Minigrid asserts).</summary>
    public Grid(int width, int height)
    {
        if (width < 3 || height < 3) throw new ArgumentOutOfRangeException(nameof(width), $"a grid is at least 3x3, got {width}x{height}");
        Width = width;
        Height = height;
        _cells = new WorldObject[width * height];
        _contents = new WorldObject[width * height];
    }

    /// <summary>Number of columns.</summary>
    public int Width { get; }

    /// <summary>Number of rows.</summary>
    public int Height { get; }

    /// <summary>True if (x, y) lies on the grid.</summary>
    public bool Contains(int x, int y) => (uint)x < (uint)Width && (uint)y < (uint)Height;

    /// <summary>The object at (x, y), or <see cref="WorldObject.None"/>.</summary>
    public WorldObject Get(int x, int y)
    {
        Check(x, y);
        return _cells[y * Width + x];
    }

    /// <summary>The object at <paramref name="p"/>.</summary>
    public WorldObject Get(GridPosition p) => Get(p.X, p.Y);

    /// <summary>The object at (x, y), or a wall off the grid (as Minigrid's <c>slice</c> pads the view).</summary>
    public WorldObject GetOrWall(int x, int y) =>
        (uint)x < (uint)Width && (uint)y < (uint)Height ? _cells[y * Width + x] : WorldObject.Wall();

    /// <summary>What the box at (x, y) holds (<see cref="WorldObject.None"/> if nothing or not a box).</summary>
    public WorldObject ContentsAt(int x, int y)
    {
        Check(x, y);
        return _contents[y * Width + x];
    }

    /// <summary>Puts <paramref name="obj"/> at (x, y) (a box holding <paramref name="contents"/>), replacing what was there.</summary>
    public void Set(int x, int y, WorldObject obj, WorldObject contents = default)
    {
        Check(x, y);
        if (!contents.IsNone && obj.Type != ObjectType.Box) throw new ArgumentException($"only a box can hold an object, not a {obj}");
        if (contents.Type == ObjectType.Box) throw new ArgumentException("a box cannot hold another box here");
        _cells[y * Width + x] = obj;
        _contents[y * Width + x] = contents;
    }

    /// <summary>Puts <paramref name="obj"/> at <paramref name="p"/>.</summary>
    public void Set(GridPosition p, WorldObject obj, WorldObject contents = default) => Set(p.X, p.Y, obj, contents);

    /// <summary>Changes the state of the object at (x, y) in place (a door opening), keeping any contents.</summary>
    internal void SetState(int x, int y, byte state)
    {
        int i = y * Width + x;
        WorldObject o = _cells[i];
        _cells[i] = o with { State = state };
    }

    /// <summary>A horizontal line of <paramref name="obj"/> (walls by default) from (x, y), to the right edge unless <paramref name="length"/> is given.</summary>
    public void HorizontalWall(int x, int y, int? length = null, WorldObject? obj = null)
    {
        int n = length ?? Width - x;
        for (int i = 0; i < n; i++) Set(x + i, y, obj ?? WorldObject.Wall());
    }

    /// <summary>A vertical line of <paramref name="obj"/> (walls by default) from (x, y), to the bottom edge unless <paramref name="length"/> is given.</summary>
    public void VerticalWall(int x, int y, int? length = null, WorldObject? obj = null)
    {
        int n = length ?? Height - y;
        for (int j = 0; j < n; j++) Set(x, y + j, obj ?? WorldObject.Wall());
    }

    /// <summary>The walls of the <paramref name="w"/> × <paramref name="h"/> rectangle with top-left corner (x, y).</summary>
    public void WallRect(int x, int y, int w, int h)
    {
        HorizontalWall(x, y, w);
        HorizontalWall(x, y + h - 1, w);
        VerticalWall(x, y, h);
        VerticalWall(x + w - 1, y, h);
    }

    /// <summary>True if some cell holds an object of <paramref name="type"/> (and <paramref name="color"/>, if given).</summary>
    public bool Holds(ObjectType type, ObjectColor? color = null)
    {
        foreach (WorldObject o in _cells)
        {
            if (o.Type == type && (color is null || o.Color == color)) return true;
        }
        return false;
    }

    /// <summary>The first cell (row by row) holding <paramref name="type"/> of <paramref name="color"/>, or null.</summary>
    public GridPosition? Find(ObjectType type, ObjectColor color)
    {
        for (int i = 0; i < _cells.Length; i++)
        {
            if (_cells[i].Type == type && _cells[i].Color == color) return new(i % Width, i / Width);
        }
        return null;
    }

    /// <summary>Copies cells and contents from <paramref name="other"/>, which must have the same size.</summary>
    public void CopyFrom(Grid other)
    {
        if (other.Width != Width || other.Height != Height) throw new ArgumentException($"cannot copy a {other.Width}x{other.Height} grid into a {Width}x{Height} one");
        other._cells.CopyTo(_cells, 0);
        other._contents.CopyTo(_contents, 0);
    }

    /// <summary>Removes every object.</summary>
    public void Clear()
    {
        Array.Clear(_cells);
        Array.Clear(_contents);
    }

    private void Check(int x, int y)
    {
        if ((uint)x >= (uint)Width || (uint)y >= (uint)Height)
            throw new ArgumentOutOfRangeException(nameof(x), $"cell ({x}, {y}) is outside the {Width}x{Height} grid");
    }
}
