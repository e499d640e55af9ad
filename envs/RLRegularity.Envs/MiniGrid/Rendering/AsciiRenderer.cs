using System.Text;

namespace RLRegularity.Envs.MiniGrid.Rendering;

/// <summary>
/// Terminal renderings in the glyphs of the text level format (docs/minigrid-levels.md): the full grid with the
/// agent, and the agent's egocentric view (unseen cells blank, the agent at the bottom middle facing up).
/// </summary>
public static class AsciiRenderer
{
    /// <summary>The full grid, one line per row, two characters per cell.</summary>
    public static string RenderGrid(IMiniGridEnv env) => TextLevel.Write(env, withHeader: false);

    /// <summary>The agent's view as the observation encodes it (what the agent carries is not drawn: the agent is).</summary>
    public static string RenderView(IMiniGridEnv env)
    {
        int size = env.AgentViewSize;
        var obs = new float[size * size * 3];
        env.WriteObservation(obs);
        var sb = new StringBuilder();
        for (int y = 0; y < size; y++)
        {
            for (int x = 0; x < size; x++)
            {
                if (x == size / 2 && y == size - 1)
                {
                    sb.Append(TextLevel.AgentGlyph(3));
                    continue;
                }
                int o = (x * size + y) * 3;
                int type = (int)obs[o];
                sb.Append(type == 0 ? "  " : TextLevel.Glyph(WorldObject.Decode(type, (int)obs[o + 1], (int)obs[o + 2])));
            }
            sb.Append('\n');
        }
        return sb.ToString();
    }
}
