using System.Text.Json;

namespace RLRegularity.Envs.MiniGrid;

/// <summary>
/// Reads and writes the JSON grid description of the Minigrid reference fixtures: <c>width</c>, <c>height</c>,
/// <c>cells[y][x] = [object, colour, state]</c> (without the agent), <c>agent_pos [x, y]</c>, <c>agent_dir</c>,
/// <c>carrying</c> (an encoded object or null), <c>step_count</c>, <c>max_steps</c>, <c>mission</c>.
/// </summary>
public static class GridDescriptionJson
{
    /// <summary>Parses a description; a malformed one throws <see cref="InvalidDataException"/> naming the field and what was expected.</summary>
    public static MiniGridLevel Parse(string json, string source = "grid description")
    {
        JsonDocument doc;
        try
        {
            doc = JsonDocument.Parse(json);
        }
        catch (JsonException e)
        {
            throw new InvalidDataException($"{source}: not valid JSON ({e.Message})", e);
        }
        using (doc)
        {
            try
            {
                return Read(doc.RootElement);
            }
            catch (Exception e) when (e is ArgumentException or InvalidOperationException or FormatException)
            {
                throw new InvalidDataException($"{source}: {e.Message}", e);
            }
        }
    }

    /// <summary>Reads a description from a parsed JSON object (e.g. a fixture's <c>grid</c>).</summary>
    public static MiniGridLevel Read(JsonElement root)
    {
        if (root.ValueKind != JsonValueKind.Object) throw new ArgumentException($"expected a JSON object, got {root.ValueKind}");
        int width = Int(root, "width"), height = Int(root, "height");
        if (width < 3 || height < 3) throw new ArgumentException($"width and height must be at least 3, got {width}x{height}");
        JsonElement cells = Field(root, "cells", JsonValueKind.Array);
        if (cells.GetArrayLength() != height) throw new ArgumentException($"cells has {cells.GetArrayLength()} rows but height is {height}");
        var grid = new Grid(width, height);
        int y = 0;
        foreach (JsonElement row in cells.EnumerateArray())
        {
            if (row.ValueKind != JsonValueKind.Array || row.GetArrayLength() != width)
                throw new ArgumentException($"cells[{y}] must be an array of {width} cells");
            int x = 0;
            foreach (JsonElement cell in row.EnumerateArray())
            {
                WorldObject o = DecodeCell(cell, $"cells[{y}][{x}]");
                if (o.Type == ObjectType.Agent) throw new ArgumentException($"cells[{y}][{x}]: the agent is given by agent_pos, not in cells");
                grid.Set(x, y, o);
                x++;
            }
            y++;
        }
        JsonElement pos = Field(root, "agent_pos", JsonValueKind.Array);
        if (pos.GetArrayLength() != 2 || pos[0].ValueKind != JsonValueKind.Number || pos[1].ValueKind != JsonValueKind.Number)
            throw new ArgumentException("agent_pos must be [x, y]");
        var agent = new GridPosition(pos[0].GetInt32(), pos[1].GetInt32());
        JsonElement carryingElement = root.TryGetProperty("carrying", out JsonElement c) ? c : default;
        WorldObject carrying = carryingElement.ValueKind is JsonValueKind.Null or JsonValueKind.Undefined
            ? WorldObject.None : DecodeCell(carryingElement, "carrying");
        string mission = Field(root, "mission", JsonValueKind.String).GetString()!;
        int stepCount = root.TryGetProperty("step_count", out _) ? Int(root, "step_count") : 0;
        return new MiniGridLevel(grid, agent, Int(root, "agent_dir"), mission, Int(root, "max_steps"), stepCount, carrying);
    }

    private static WorldObject DecodeCell(JsonElement cell, string where)
    {
        if (cell.ValueKind != JsonValueKind.Array || cell.GetArrayLength() != 3 || cell.EnumerateArray().Any(v => v.ValueKind != JsonValueKind.Number))
            throw new ArgumentException($"{where}: expected [object, colour, state] (three integers), got {cell.GetRawText()}");
        try
        {
            return WorldObject.Decode(cell[0].GetInt32(), cell[1].GetInt32(), cell[2].GetInt32());
        }
        catch (ArgumentException e)
        {
            throw new ArgumentException($"{where}: {e.Message}", e);
        }
        catch (FormatException e)
        {
            throw new ArgumentException($"{where}: expected integers, got {cell.GetRawText()}", e);
        }
    }

    private static JsonElement Field(JsonElement root, string name, JsonValueKind kind)
    {
        if (!root.TryGetProperty(name, out JsonElement value)) throw new ArgumentException($"missing field '{name}'");
        if (value.ValueKind != kind) throw new ArgumentException($"field '{name}' must be a {kind.ToString().ToLowerInvariant()}, got {value.ValueKind.ToString().ToLowerInvariant()}");
        return value;
    }

    private static int Int(JsonElement root, string name)
    {
        JsonElement v = Field(root, name, JsonValueKind.Number);
        return v.TryGetInt32(out int i) ? i : throw new ArgumentException($"field '{name}' must be an integer, got {v.GetRawText()}");
    }

    /// <summary>Writes the situation of <paramref name="env"/> as the properties of the current JSON object.</summary>
    public static void WriteProperties(Utf8JsonWriter w, IMiniGridEnv env)
    {
        Grid g = env.Grid;
        w.WriteNumber("width", g.Width);
        w.WriteNumber("height", g.Height);
        w.WriteStartArray("cells");
        for (int y = 0; y < g.Height; y++)
        {
            w.WriteStartArray();
            for (int x = 0; x < g.Width; x++) WriteObject(w, g.Get(x, y));
            w.WriteEndArray();
        }
        w.WriteEndArray();
        w.WriteStartArray("agent_pos");
        w.WriteNumberValue(env.AgentPosition.X);
        w.WriteNumberValue(env.AgentPosition.Y);
        w.WriteEndArray();
        w.WriteNumber("agent_dir", env.AgentDirection);
        w.WritePropertyName("carrying");
        if (env.Carrying.IsNone) w.WriteNullValue(); else WriteObject(w, env.Carrying);
        w.WriteNumber("step_count", env.StepCount);
        w.WriteNumber("max_steps", env.MaxSteps);
        w.WriteString("mission", env.Mission);
    }

    private static void WriteObject(Utf8JsonWriter w, WorldObject o)
    {
        w.WriteStartArray();
        w.WriteNumberValue(o.EncodedType);
        w.WriteNumberValue(o.EncodedColor);
        w.WriteNumberValue(o.State);
        w.WriteEndArray();
    }
}
