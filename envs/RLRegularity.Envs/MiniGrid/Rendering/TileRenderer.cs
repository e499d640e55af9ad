using RLRegularity.Envs.Rendering;

namespace RLRegularity.Envs.MiniGrid.Rendering;

/// <summary>
/// Minigrid's tile renderer ported pixel for pixel (<c>Grid.render_tile</c>, each object's <c>render</c> and
/// <c>minigrid/utils/rendering.py</c>): each tile is drawn at 3× resolution by testing pixel centres against shapes,
/// then averaged down (anti-aliasing); the agent is a red triangle; highlighted cells are blended 30 % towards white.
/// </summary>
public static class TileRenderer
{
    /// <summary>Minigrid's <c>TILE_PIXELS</c>.</summary>
    public const int DefaultTileSize = 32;

    private const int Subdivisions = 3;
    private static readonly Dictionary<(WorldObject Obj, int AgentDir, bool Highlight, int Size), byte[]> Cache = [];
    private static readonly Lock CacheGate = new();

    private delegate bool Shape(double x, double y);

    /// <summary>Minigrid's <c>get_full_render</c>: the whole grid, the agent, and (if <paramref name="highlight"/>) the cells it sees.</summary>
    public static RgbImage RenderFull(IMiniGridEnv env, int tileSize = DefaultTileSize, bool highlight = true)
    {
        Grid grid = env.Grid;
        var mask = new bool[grid.Width * grid.Height];
        if (highlight)
        {
            int size = env.AgentViewSize;
            var visible = new bool[size * size];
            env.WriteVisibility(visible);
            for (int vx = 0; vx < size; vx++)
            {
                for (int vy = 0; vy < size; vy++)
                {
                    if (!visible[vx * size + vy]) continue;
                    GridPosition p = env.ViewToWorld(vx, vy);
                    if (grid.Contains(p.X, p.Y)) mask[p.Y * grid.Width + p.X] = true;
                }
            }
        }
        var image = new RgbImage(grid.Width * tileSize, grid.Height * tileSize);
        for (int y = 0; y < grid.Height; y++)
        {
            for (int x = 0; x < grid.Width; x++)
            {
                bool agentHere = env.AgentPosition == new GridPosition(x, y);
                byte[] tile = Tile(grid.Get(x, y), agentHere ? env.AgentDirection : -1, mask[y * grid.Width + x], tileSize);
                Blit(image, tile, x, y, tileSize);
            }
        }
        return image;
    }

    /// <summary>Minigrid's <c>get_pov_render</c>: the agent's view as it encodes it, the agent at the bottom middle facing up, visible cells highlighted.</summary>
    public static RgbImage RenderAgentView(IMiniGridEnv env, int tileSize = DefaultTileSize)
    {
        int size = env.AgentViewSize;
        var obs = new float[size * size * 3];
        env.WriteObservation(obs);
        var visible = new bool[size * size];
        env.WriteVisibility(visible);
        var image = new RgbImage(size * tileSize, size * tileSize);
        for (int y = 0; y < size; y++)
        {
            for (int x = 0; x < size; x++)
            {
                int o = (x * size + y) * 3;
                // Invisible cells were emptied by process_vis; the agent's own cell holds what it carries.
                WorldObject obj = obs[o] <= 1 ? WorldObject.None : WorldObject.Decode((int)obs[o], (int)obs[o + 1], (int)obs[o + 2]);
                bool agentHere = x == size / 2 && y == size - 1;
                Blit(image, Tile(obj, agentHere ? 3 : -1, visible[x * size + y], tileSize), x, y, tileSize);
            }
        }
        return image;
    }

    /// <summary>One tile (<c>render_tile</c>): <paramref name="tileSize"/>² RGB pixels; <paramref name="agentDirection"/> −1 draws no agent.</summary>
    public static byte[] Tile(WorldObject obj, int agentDirection, bool highlight, int tileSize)
    {
        var key = (obj, agentDirection, highlight, tileSize);
        lock (CacheGate)
        {
            if (Cache.TryGetValue(key, out byte[]? cached)) return cached;
        }
        int n = tileSize * Subdivisions;
        var big = new byte[n * n * 3];
        Fill(big, n, Rect(0, 0.031, 0, 1), 100, 100, 100);
        Fill(big, n, Rect(0, 1, 0, 0.031), 100, 100, 100);
        DrawObject(big, n, obj);
        if (agentDirection >= 0)
        {
            Shape triangle = Triangle(0.12, 0.19, 0.87, 0.50, 0.12, 0.81);
            Fill(big, n, Rotate(triangle, 0.5, 0.5, 0.5 * Math.PI * agentDirection), 255, 0, 0);
        }
        if (highlight)
        {
            // highlight_img: img + 0.3·(255 − img), truncated to uint8.
            for (int i = 0; i < big.Length; i++) big[i] = (byte)Math.Clamp(big[i] + 0.30 * (255 - big[i]), 0, 255);
        }
        byte[] tile = Downsample(big, n, Subdivisions);
        lock (CacheGate) Cache[key] = tile;
        return tile;
    }

    private static void DrawObject(byte[] img, int n, WorldObject obj)
    {
        if (obj.IsNone) return;
        var (r, g, b) = ObjectColors.Rgb(obj.Color);
        switch (obj.Type)
        {
            case ObjectType.Goal:
            case ObjectType.Wall:
                Fill(img, n, Rect(0, 1, 0, 1), r, g, b);
                break;
            case ObjectType.Floor:
                // COLORS[c] / 2 assigned to uint8: the halves are truncated.
                Fill(img, n, Rect(0.031, 1, 0.031, 1), (byte)(r / 2.0), (byte)(g / 2.0), (byte)(b / 2.0));
                break;
            case ObjectType.Lava:
                Fill(img, n, Rect(0, 1, 0, 1), 255, 128, 0);
                for (int i = 0; i < 3; i++)
                {
                    double ylo = 0.3 + 0.2 * i, yhi = 0.4 + 0.2 * i;
                    Fill(img, n, Line(0.1, ylo, 0.3, yhi, 0.03), 0, 0, 0);
                    Fill(img, n, Line(0.3, yhi, 0.5, ylo, 0.03), 0, 0, 0);
                    Fill(img, n, Line(0.5, ylo, 0.7, yhi, 0.03), 0, 0, 0);
                    Fill(img, n, Line(0.7, yhi, 0.9, ylo, 0.03), 0, 0, 0);
                }
                break;
            case ObjectType.Door:
                if (obj.DoorState == DoorState.Open)
                {
                    Fill(img, n, Rect(0.88, 1.00, 0.00, 1.00), r, g, b);
                    Fill(img, n, Rect(0.92, 0.96, 0.04, 0.96), 0, 0, 0);
                }
                else if (obj.DoorState == DoorState.Locked)
                {
                    Fill(img, n, Rect(0.00, 1.00, 0.00, 1.00), r, g, b);
                    Fill(img, n, Rect(0.06, 0.94, 0.06, 0.94), (byte)(0.45 * r), (byte)(0.45 * g), (byte)(0.45 * b));
                    Fill(img, n, Rect(0.52, 0.75, 0.50, 0.56), r, g, b);
                }
                else
                {
                    Fill(img, n, Rect(0.00, 1.00, 0.00, 1.00), r, g, b);
                    Fill(img, n, Rect(0.04, 0.96, 0.04, 0.96), 0, 0, 0);
                    Fill(img, n, Rect(0.08, 0.92, 0.08, 0.92), r, g, b);
                    Fill(img, n, Rect(0.12, 0.88, 0.12, 0.88), 0, 0, 0);
                    Fill(img, n, Circle(0.75, 0.50, 0.08), r, g, b);
                }
                break;
            case ObjectType.Key:
                Fill(img, n, Rect(0.50, 0.63, 0.31, 0.88), r, g, b);
                Fill(img, n, Rect(0.38, 0.50, 0.59, 0.66), r, g, b);
                Fill(img, n, Rect(0.38, 0.50, 0.81, 0.88), r, g, b);
                Fill(img, n, Circle(0.56, 0.28, 0.190), r, g, b);
                Fill(img, n, Circle(0.56, 0.28, 0.064), 0, 0, 0);
                break;
            case ObjectType.Ball:
                Fill(img, n, Circle(0.5, 0.5, 0.31), r, g, b);
                break;
            case ObjectType.Box:
                Fill(img, n, Rect(0.12, 0.88, 0.12, 0.88), r, g, b);
                Fill(img, n, Rect(0.18, 0.82, 0.18, 0.82), 0, 0, 0);
                Fill(img, n, Rect(0.16, 0.84, 0.47, 0.53), r, g, b);
                break;
        }
    }

    // fill_coords: every pixel whose centre ((x + 0.5)/n, (y + 0.5)/n) lies in the shape takes the colour.
    private static void Fill(byte[] img, int n, Shape shape, byte r, byte g, byte b)
    {
        for (int y = 0; y < n; y++)
        {
            double yf = (y + 0.5) / n;
            for (int x = 0; x < n; x++)
            {
                if (!shape((x + 0.5) / n, yf)) continue;
                int o = (y * n + x) * 3;
                img[o] = r;
                img[o + 1] = g;
                img[o + 2] = b;
            }
        }
    }

    // downsample: mean over each block's columns, then over its rows (float64), truncated to uint8 when stored.
    private static byte[] Downsample(byte[] big, int n, int factor)
    {
        int m = n / factor;
        var small = new byte[m * m * 3];
        Span<double> rowMeans = stackalloc double[factor];
        for (int y = 0; y < m; y++)
        {
            for (int x = 0; x < m; x++)
            {
                for (int c = 0; c < 3; c++)
                {
                    for (int dy = 0; dy < factor; dy++)
                    {
                        double sum = 0;
                        for (int dx = 0; dx < factor; dx++) sum += big[(((y * factor + dy) * n) + x * factor + dx) * 3 + c];
                        rowMeans[dy] = sum / factor;
                    }
                    double total = 0;
                    for (int dy = 0; dy < factor; dy++) total += rowMeans[dy];
                    small[(y * m + x) * 3 + c] = (byte)(total / factor);
                }
            }
        }
        return small;
    }

    private static void Blit(RgbImage image, byte[] tile, int cellX, int cellY, int tileSize)
    {
        for (int row = 0; row < tileSize; row++)
        {
            int dest = ((cellY * tileSize + row) * image.Width + cellX * tileSize) * 3;
            Array.Copy(tile, row * tileSize * 3, image.Pixels, dest, tileSize * 3);
        }
    }

    private static Shape Rect(double xmin, double xmax, double ymin, double ymax) =>
        (x, y) => x >= xmin && x <= xmax && y >= ymin && y <= ymax;

    private static Shape Circle(double cx, double cy, double r) =>
        (x, y) => (x - cx) * (x - cx) + (y - cy) * (y - cy) <= r * r;

    private static Shape Rotate(Shape inner, double cx, double cy, double theta) => (x, y) =>
    {
        x -= cx;
        y -= cy;
        double x2 = cx + x * Math.Cos(-theta) - y * Math.Sin(-theta);
        double y2 = cy + y * Math.Cos(-theta) + x * Math.Sin(-theta);
        return inner(x2, y2);
    };

    // point_in_line: the end points are float32 (as numpy's arrays); the query point and projection are float64.
    private static Shape Line(double x0, double y0, double x1, double y1, double r)
    {
        float p0x = (float)x0, p0y = (float)y0;
        float dx = (float)x1 - p0x, dy = (float)y1 - p0y;
        float dist = MathF.Sqrt(dx * dx + dy * dy);
        dx /= dist;
        dy /= dist;
        double xmin = Math.Min(x0, x1) - r, xmax = Math.Max(x0, x1) + r, ymin = Math.Min(y0, y1) - r, ymax = Math.Max(y0, y1) + r;
        return (x, y) =>
        {
            if (x < xmin || x > xmax || y < ymin || y > ymax) return false;
            double pqx = x - p0x, pqy = y - p0y;
            double a = Math.Clamp(pqx * dx + pqy * dy, 0, dist);
            double px = p0x + a * dx, py = p0y + a * dy;
            return Math.Sqrt((x - px) * (x - px) + (y - py) * (y - py)) <= r;
        };
    }

    // point_in_triangle: barycentric test with float32 corners and float32 corner-only dot products, as numpy computes them.
    private static Shape Triangle(double ax, double ay, double bx, double by, double cx, double cy)
    {
        float fax = (float)ax, fay = (float)ay;
        float v0x = (float)cx - fax, v0y = (float)cy - fay, v1x = (float)bx - fax, v1y = (float)by - fay;
        float dot00 = v0x * v0x + v0y * v0y, dot01 = v0x * v1x + v0y * v1y, dot11 = v1x * v1x + v1y * v1y;
        float inv = 1 / (dot00 * dot11 - dot01 * dot01);
        return (x, y) =>
        {
            double v2x = x - fax, v2y = y - fay;
            double dot02 = v0x * v2x + v0y * v2y, dot12 = v1x * v2x + v1y * v2y;
            double u = (dot11 * dot02 - dot01 * dot12) * inv;
            double v = (dot00 * dot12 - dot01 * dot02) * inv;
            return u >= 0 && v >= 0 && u + v < 1;
        };
    }
}
