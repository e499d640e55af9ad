using System.Globalization;
using System.Text;

namespace RLRegularity.Envs.MiniGrid;

/// <summary>
/// The plain-text level format (documented in docs/minigrid-levels.md): optional <c>key: value</c> header lines
/// (mission, max_steps, step_count, carrying, agent, contains), then the map, two characters per cell —
/// an object letter and a colour letter (<c>Ky</c> a yellow key, <c>Lr</c> a locked red door, <c>##</c> a grey wall,
/// <c>..</c> empty, <c>GG</c> goal, <c>VV</c> lava, <c>&gt;&gt;</c> the agent facing right). Lines starting with ';' are comments.
/// </summary>
public static class TextLevel
{
    /// <summary>The mission of a map that does not give one.</summary>
    public const string DefaultMission = "get to the green goal square";

    private static readonly string[] DirectionGlyphs = [">>", "vv", "<<", "^^"];
    private static readonly string[] DirectionNames = ["right", "down", "left", "up"];

    /// <summary>
    /// Parses a level. Errors throw <see cref="FormatException"/> with "<paramref name="source"/>:line:column: what is
    /// wrong, and what would be right".
    /// </summary>
    public static MiniGridLevel Parse(string text, string source = "level")
    {
        ArgumentNullException.ThrowIfNull(text);
        string mission = DefaultMission;
        int? maxSteps = null;
        int stepCount = 0;
        WorldObject carrying = WorldObject.None;
        (GridPosition Pos, int Dir, int Line)? agentHeader = null;
        var contents = new List<(int X, int Y, WorldObject Obj, int Line)>();
        var rows = new List<(string Text, int Line)>();
        string[] lines = text.Replace("\r\n", "\n").Split('\n');
        for (int n = 0; n < lines.Length; n++)
        {
            string raw = lines[n].TrimEnd();
            int line = n + 1;
            if (raw.Length == 0 || raw.TrimStart().StartsWith(';')) continue;
            int colon = raw.IndexOf(':');
            if (colon >= 0)
            {
                if (rows.Count > 0) throw Error(source, line, 1, "header lines ('key: value') must come before the map");
                string key = raw[..colon].Trim().ToLowerInvariant();
                string value = raw[(colon + 1)..].Trim();
                int valueColumn = colon + 2 + (raw.Length - colon - 1 - raw[(colon + 1)..].TrimStart().Length);
                switch (key)
                {
                    case "mission":
                        mission = value;
                        break;
                    case "max_steps":
                        maxSteps = PositiveInt(value, source, line, valueColumn, "max_steps", allowZero: false);
                        break;
                    case "step_count":
                        stepCount = PositiveInt(value, source, line, valueColumn, "step_count", allowZero: true);
                        break;
                    case "carrying":
                        carrying = value == "none" ? WorldObject.None : ParseObject(value, source, line, valueColumn);
                        if (!carrying.IsNone && !carrying.CanPickup) throw Error(source, line, valueColumn, $"the agent can carry a key, ball or box, not a {carrying}");
                        break;
                    case "agent":
                        agentHeader = (ParseAgent(value, source, line, valueColumn, out int dir), dir, line);
                        break;
                    case "contains":
                        contents.Add(ParseContents(value, source, line, valueColumn));
                        break;
                    default:
                        throw Error(source, line, 1, $"unknown header '{key}' (expected mission, max_steps, step_count, carrying, agent or contains)");
                }
                continue;
            }
            rows.Add((raw, line));
        }
        if (rows.Count == 0) throw Error(source, lines.Length, 1, "the level has no map rows");
        int width2 = rows[0].Text.Length;
        foreach (var (row, line) in rows)
        {
            if (row.Length % 2 != 0) throw Error(source, line, row.Length, "a map row has two characters per cell, so an even length");
            if (row.Length != width2) throw Error(source, line, Math.Min(row.Length, width2) + 1, $"this row has {row.Length / 2} cells but the first row has {width2 / 2}");
        }
        int width = width2 / 2, height = rows.Count;
        if (width < 3 || height < 3) throw Error(source, rows[0].Line, 1, $"a level is at least 3x3 cells, this one is {width}x{height}");
        var grid = new Grid(width, height);
        GridPosition? agent = null;
        int agentDir = 0;
        for (int y = 0; y < height; y++)
        {
            var (row, line) = rows[y];
            for (int x = 0; x < width; x++)
            {
                string glyph = row.Substring(2 * x, 2);
                int column = 2 * x + 1;
                int d = Array.IndexOf(DirectionGlyphs, glyph);
                if (d >= 0)
                {
                    if (agent is not null) throw Error(source, line, column, $"a second agent (the first is at {agent}); a level has one agent");
                    if (agentHeader is not null) throw Error(source, line, column, $"the agent is already placed by the 'agent:' header on line {agentHeader.Value.Line}");
                    agent = new(x, y);
                    agentDir = d;
                    continue;
                }
                grid.Set(x, y, ParseGlyph(glyph, source, line, column));
            }
        }
        if (agentHeader is { } h)
        {
            if (!grid.Contains(h.Pos.X, h.Pos.Y)) throw Error(source, h.Line, 1, $"agent {h.Pos} is outside the {width}x{height} map");
            if (!grid.Get(h.Pos).CanOverlap) throw Error(source, h.Line, 1, $"the agent at {h.Pos} would stand on a {grid.Get(h.Pos)}; it can stand on empty cells, open doors, floor, goal or lava");
            agent = h.Pos;
            agentDir = h.Dir;
        }
        if (agent is null) throw Error(source, rows[0].Line, 1, "the map has no agent: put one of >> vv << ^^ on an empty cell, or an 'agent: x y direction' header");
        foreach (var (x, y, obj, line) in contents)
        {
            if (!grid.Contains(x, y) || grid.Get(x, y).Type != ObjectType.Box)
                throw Error(source, line, 1, $"'contains' names cell ({x}, {y}), which holds {(grid.Contains(x, y) ? grid.Get(x, y).ToString() : "nothing on the map")}, not a box");
            grid.Set(x, y, grid.Get(x, y), obj);
        }
        return new MiniGridLevel(grid, agent.Value, agentDir, mission, maxSteps ?? 4 * width * height, stepCount, carrying);
    }

    /// <summary>Writes the situation of <paramref name="env"/> in the text format (it parses back to the same level).</summary>
    public static string Write(IMiniGridEnv env, bool withHeader = true)
    {
        var sb = new StringBuilder();
        Grid g = env.Grid;
        GridPosition a = env.AgentPosition;
        bool agentOnObject = !g.Get(a).IsNone;
        if (withHeader)
        {
            sb.Append("mission: ").Append(env.Mission).Append('\n');
            sb.Append("max_steps: ").Append(env.MaxSteps.ToString(CultureInfo.InvariantCulture)).Append('\n');
            if (env.StepCount != 0) sb.Append("step_count: ").Append(env.StepCount.ToString(CultureInfo.InvariantCulture)).Append('\n');
            if (!env.Carrying.IsNone) sb.Append("carrying: ").Append(env.Carrying.Describe()).Append('\n');
            if (agentOnObject) sb.Append(CultureInfo.InvariantCulture, $"agent: {a.X} {a.Y} {DirectionNames[env.AgentDirection]}\n");
            for (int y = 0; y < g.Height; y++)
            {
                for (int x = 0; x < g.Width; x++)
                {
                    WorldObject c = g.ContentsAt(x, y);
                    if (!c.IsNone) sb.Append(CultureInfo.InvariantCulture, $"contains: {x} {y} {c.Describe()}\n");
                }
            }
        }
        for (int y = 0; y < g.Height; y++)
        {
            for (int x = 0; x < g.Width; x++)
                sb.Append(x == a.X && y == a.Y && !agentOnObject ? DirectionGlyphs[env.AgentDirection & 3] : Glyph(g.Get(x, y)));
            sb.Append('\n');
        }
        return sb.ToString();
    }

    /// <summary>The two-character glyph of an object (".." for nothing).</summary>
    public static string Glyph(WorldObject o)
    {
        if (o.IsNone) return "..";
        char c = ColorLetter(o.Color);
        return o.Type switch
        {
            ObjectType.Wall => o.Color == ObjectColor.Grey ? "##" : $"W{c}",
            ObjectType.Goal => "GG",
            ObjectType.Lava => "VV",
            ObjectType.Floor => $"F{c}",
            ObjectType.Key => $"K{c}",
            ObjectType.Ball => $"A{c}",
            ObjectType.Box => $"B{c}",
            ObjectType.Door => o.DoorState switch { DoorState.Open => $"O{c}", DoorState.Closed => $"D{c}", _ => $"L{c}" },
            _ => "??",
        };
    }

    /// <summary>The glyph of an agent facing <paramref name="direction"/> (0 right … 3 up).</summary>
    public static string AgentGlyph(int direction) => DirectionGlyphs[direction & 3];

    private static char ColorLetter(ObjectColor c) => c switch
    {
        ObjectColor.Red => 'r',
        ObjectColor.Green => 'g',
        ObjectColor.Blue => 'b',
        ObjectColor.Purple => 'p',
        ObjectColor.Yellow => 'y',
        _ => 'e',
    };

    private static WorldObject ParseGlyph(string glyph, string source, int line, int column)
    {
        switch (glyph)
        {
            case ".." or "  ": return WorldObject.None;
            case "##": return WorldObject.Wall();
            case "GG": return WorldObject.Goal;
            case "VV": return WorldObject.Lava;
        }
        ObjectColor? color = glyph[1] switch
        {
            'r' => ObjectColor.Red,
            'g' => ObjectColor.Green,
            'b' => ObjectColor.Blue,
            'p' => ObjectColor.Purple,
            'y' => ObjectColor.Yellow,
            'e' => ObjectColor.Grey,
            _ => null,
        };
        if (color is ObjectColor col)
        {
            switch (glyph[0])
            {
                case 'W': return WorldObject.Wall(col);
                case 'F': return WorldObject.Floor(col);
                case 'K': return WorldObject.Key(col);
                case 'A': return WorldObject.Ball(col);
                case 'B': return WorldObject.Box(col);
                case 'D': return WorldObject.Door(col, DoorState.Closed);
                case 'L': return WorldObject.Door(col, DoorState.Locked);
                case 'O': return WorldObject.Door(col, DoorState.Open);
            }
        }
        throw Error(source, line, column, $"unknown cell '{glyph}': expected '..' (empty), '##' (wall), 'GG' (goal), 'VV' (lava), " +
            "an agent (>> vv << ^^), or an object letter W F K A B D L O followed by a colour letter r g b p y e (e = grey)");
    }

    private static WorldObject ParseObject(string text, string source, int line, int column)
    {
        string[] words = text.Split(' ', StringSplitOptions.RemoveEmptyEntries);
        if (words.Length != 2 || !ObjectColors.TryParse(words[0], out ObjectColor color))
            throw Error(source, line, column, $"expected '<colour> <object>' such as 'yellow key', got '{text}'");
        return words[1] switch
        {
            "key" => WorldObject.Key(color),
            "ball" => WorldObject.Ball(color),
            "box" => WorldObject.Box(color),
            _ => throw Error(source, line, column, $"'{words[1]}' cannot be carried or held in a box; expected key, ball or box"),
        };
    }

    private static GridPosition ParseAgent(string text, string source, int line, int column, out int direction)
    {
        string[] w = text.Split(' ', StringSplitOptions.RemoveEmptyEntries);
        if (w.Length != 3 || !int.TryParse(w[0], NumberStyles.None, CultureInfo.InvariantCulture, out int x)
            || !int.TryParse(w[1], NumberStyles.None, CultureInfo.InvariantCulture, out int y))
            throw Error(source, line, column, $"expected 'agent: x y direction' (e.g. 'agent: 1 2 right'), got '{text}'");
        direction = Array.IndexOf(DirectionNames, w[2]);
        if (direction < 0 && int.TryParse(w[2], NumberStyles.None, CultureInfo.InvariantCulture, out int d) && d <= 3) direction = d;
        if (direction < 0) throw Error(source, line, column, $"direction '{w[2]}' is not right, down, left, up (or 0-3)");
        return new(x, y);
    }

    private static (int X, int Y, WorldObject Obj, int Line) ParseContents(string text, string source, int line, int column)
    {
        string[] w = text.Split(' ', 3, StringSplitOptions.RemoveEmptyEntries);
        if (w.Length != 3 || !int.TryParse(w[0], NumberStyles.None, CultureInfo.InvariantCulture, out int x)
            || !int.TryParse(w[1], NumberStyles.None, CultureInfo.InvariantCulture, out int y))
            throw Error(source, line, column, $"expected 'contains: x y <colour> <object>' (e.g. 'contains: 3 1 red key'), got '{text}'");
        return (x, y, ParseObject(w[2], source, line, column), line);
    }

    private static int PositiveInt(string text, string source, int line, int column, string name, bool allowZero)
    {
        if (!int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out int v) || (!allowZero && v == 0))
            throw Error(source, line, column, $"{name} must be a {(allowZero ? "non-negative" : "positive")} integer, got '{text}'");
        return v;
    }

    private static FormatException Error(string source, int line, int column, string message) => new($"{source}:{line}:{column}: {message}");
}
