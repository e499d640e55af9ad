using System.Globalization;
using System.Text;
using Spectre.Console;

namespace RLRegularity.Cli;

/// <summary>What a progress line shows: a label, the fraction done, details in order of importance, and the times.</summary>
/// <param name="Label">What runs, e.g. "ppo CartPole-v1"; the first thing dropped when the terminal is narrow.</param>
/// <param name="Fraction">Done, in [0, 1].</param>
/// <param name="Details">Short facts ("step 1,234/200,000", "R20 45.1", "3,000 sps"), the most important first; those that do not fit are left out.</param>
/// <param name="Elapsed">Time spent so far.</param>
/// <param name="Remaining">Estimated time to the end, or null while there is no rate yet.</param>
internal sealed record ProgressState(string Label, double Fraction, IReadOnlyList<string> Details, TimeSpan Elapsed, TimeSpan? Remaining);

/// <summary>
/// One progress line fitted to the terminal's width, so that it is redrawn in place instead of wrapping onto a second
/// line (Spectre's progress columns wrap a long description at 80 columns). The bar, the percentage and the labelled
/// times always show; details and the label are dropped, least important first, when there is no room.
/// </summary>
internal static class ProgressLine
{
    private const int MinBar = 10;
    private const int MaxBar = 30;
    private const string Separator = " · ";

    /// <summary>The line for <paramref name="state"/>, at most <paramref name="width"/> − 1 characters (a line that fills the last column wraps in some terminals).</summary>
    public static string Format(ProgressState state, int width)
    {
        int room = Math.Max(20, width) - 1;
        double fraction = Math.Clamp(double.IsFinite(state.Fraction) ? state.Fraction : 0, 0, 1);
        string percent = (fraction * 100).ToString("0", CultureInfo.InvariantCulture).PadLeft(3) + "%";
        string times = $"elapsed {Clock(state.Elapsed)}{Separator}remaining {(state.Remaining is { } r ? Clock(r) : "–")}";
        int used = MinBar + 1 + percent.Length + Separator.Length + times.Length;
        var details = new List<string>();
        foreach (string detail in state.Details)
        {
            if (used + Separator.Length + detail.Length > room) continue;
            details.Add(detail);
            used += Separator.Length + detail.Length;
        }
        bool label = state.Label.Length > 0 && used + state.Label.Length + 1 <= room;
        if (label) used += state.Label.Length + 1;
        int barWidth = Math.Min(MaxBar, MinBar + Math.Max(0, room - used));
        int filled = (int)Math.Round(fraction * barWidth);
        var line = new StringBuilder();
        if (label) line.Append(state.Label).Append(' ');
        line.Append('█', filled).Append('░', barWidth - filled).Append(' ').Append(percent);
        foreach (string detail in details) line.Append(Separator).Append(detail);
        line.Append(Separator).Append(times);
        return line.Length <= room ? line.ToString() : line.ToString(0, room);
    }

    /// <summary>The line as a renderable that Spectre will not wrap.</summary>
    public static Text Renderable(ProgressState state, int width) => new(Format(state, width)) { Overflow = Overflow.Crop };

    /// <summary>m:ss under an hour, h:mm:ss from one hour.</summary>
    public static string Clock(TimeSpan t)
    {
        if (t < TimeSpan.Zero || t > TimeSpan.FromDays(99)) return "–";
        return t.TotalHours >= 1
            ? $"{(int)t.TotalHours}:{t.Minutes:00}:{t.Seconds:00}"
            : $"{t.Minutes}:{t.Seconds:00}";
    }
}
