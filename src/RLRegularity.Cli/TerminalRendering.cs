using System.Text;
using RLRegularity.Envs.ClassicControl;
using RLRegularity.Envs.Core;
using RLRegularity.Envs.MiniGrid;
using RLRegularity.Envs.MiniGrid.Rendering;

namespace RLRegularity.Cli;

/// <summary>
/// ASCII pictures for <c>rlreg eval --render</c>: one line for the classic environments, the grid for MiniGrid, each
/// headed by the action that led to it; <see cref="Frame"/> wraps a picture so that it redraws in place.
/// </summary>
internal static class TerminalRendering
{
    private const int Width = 61;

    // ANSI: clear the screen once, then for every frame go home, clear each line's rest and everything below the frame,
    // so a shorter frame leaves nothing of a longer one behind and frames do not scroll by.
    private const string ClearScreen = "\u001b[2J";
    private const string CursorHome = "\u001b[H";
    private const string ClearToLineEnd = "\u001b[K";
    private const string ClearBelow = "\u001b[J";

    /// <summary>The escape sequence written once before the first frame.</summary>
    public static string Start => ClearScreen;

    /// <summary><paramref name="picture"/> as a frame drawn from the top-left corner over the previous one.</summary>
    public static string Frame(string picture) =>
        CursorHome + string.Join(ClearToLineEnd + "\n", picture.Split('\n')) + ClearToLineEnd + "\n" + ClearBelow;

    /// <summary>
    /// What <paramref name="action"/> does in <paramref name="env"/>: Minigrid's action names, CartPole's push direction,
    /// Acrobot's torque; the bare index elsewhere. Wrappers that permute actions (CartPole-ActionFlip-v0) are not
    /// looked through: the meaning is the unwrapped environment's.
    /// </summary>
    public static string ActionName(IEnv env, int action)
    {
        if (env.Find<IMiniGridEnv>() is not null)
            return Enum.IsDefined((MiniGridAction)action) ? ((MiniGridAction)action).ToString().ToLowerInvariant() : $"{action}";
        return env.Unwrapped switch
        {
            CartPoleEnv => action switch { 0 => "push left", 1 => "push right", _ => $"{action}" },
            AcrobotEnv => action switch { 0 => "torque -1", 1 => "torque 0", 2 => "torque +1", _ => $"{action}" },
            _ => $"{action}",
        };
    }

    /// <summary>The picture after a step: episode, step, return, the action taken and what it means, then the environment.</summary>
    public static string Render(IEnv env, int episode, int step, double episodeReturn, int action)
    {
        string name = ActionName(env, action);
        string header = $"ep {episode,3} t {step,4} R {episodeReturn,8:F1}  action {action}{(name == $"{action}" ? "" : $" ({name})"),-13}  ";
        var line = new StringBuilder(header);
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
