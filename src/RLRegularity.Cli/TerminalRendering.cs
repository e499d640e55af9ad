using System.Text;
using RLRegularity.Envs.ClassicControl;
using RLRegularity.Envs.Core;
using RLRegularity.Envs.MiniGrid;
using RLRegularity.Envs.MiniGrid.Rendering;

namespace RLRegularity.Cli;

/// <summary>ASCII pictures for <c>rlreg eval --render</c>: one line for the classic environments, the grid for MiniGrid.</summary>
internal static class TerminalRendering
{
    private const int Width = 61;

    public static string Render(IEnv env, int episode, int step, double episodeReturn)
    {
        var line = new StringBuilder($"ep {episode,3} t {step,4} R {episodeReturn,8:F1}  ");
        if (env.Find<IMiniGridEnv>() is { } world)
        {
            // The whole level after the step, in the text-map glyphs (docs/minigrid-levels.md).
            line.Append(world.Mission).Append('\n').Append(AsciiRenderer.RenderGrid(world));
            return line.ToString().TrimEnd('\n');
        }
        Span<double> s = stackalloc double[4];
        switch (env.Unwrapped)
        {
            case CartPoleEnv cartPole:
                cartPole.GetState(s);
                // Track from −2.4 to 2.4 m; the pole's lean drawn as / | \.
                var track = new char[Width];
                Array.Fill(track, '-');
                int position = (int)Math.Round((s[0] + CartPoleEnv.XThreshold) / (2 * CartPoleEnv.XThreshold) * (Width - 1));
                position = Math.Clamp(position, 0, Width - 1);
                track[position] = s[2] > 0.05 ? '/' : s[2] < -0.05 ? '\\' : '|';
                line.Append('[').Append(track).Append(']').Append($" θ={s[2],6:F3}");
                break;
            case AcrobotEnv acrobot:
                acrobot.GetState(s);
                double height = -Math.Cos(s[0]) - Math.Cos(s[0] + s[1]);
                int bar = (int)Math.Round((height + 2) / 4 * 40);
                line.Append("height ").Append(new string('#', Math.Clamp(bar, 0, 40)).PadRight(40)).Append($"| {height,6:F2} (goal > 1)");
                break;
            default:
                line.Append(env.Unwrapped.GetType().Name);
                break;
        }
        return line.ToString();
    }
}
