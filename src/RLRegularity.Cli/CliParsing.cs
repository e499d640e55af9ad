using System.Globalization;
using RLRegularity.Normalization;

namespace RLRegularity.Cli;

/// <summary>Parsing of the comma-separated values the verbs take, with messages that name the option and the value.</summary>
internal static class CliParsing
{
    /// <summary>Parses "1.5,-2,3e-4" into doubles; each value must be a finite number.</summary>
    public static double[] Doubles(string option, string text)
    {
        string[] parts = SplitList(option, text);
        var values = new double[parts.Length];
        for (int i = 0; i < parts.Length; i++)
        {
            if (!double.TryParse(parts[i], NumberStyles.Float, CultureInfo.InvariantCulture, out values[i]) || !double.IsFinite(values[i]))
                throw new CliUsageException($"{option}: value {i + 1} ('{parts[i]}') is not a finite number");
        }
        return values;
    }

    /// <summary>Parses "0,1,1" into integers.</summary>
    public static int[] Ints(string option, string text)
    {
        string[] parts = SplitList(option, text);
        var values = new int[parts.Length];
        for (int i = 0; i < parts.Length; i++)
        {
            if (!int.TryParse(parts[i], NumberStyles.Integer, CultureInfo.InvariantCulture, out values[i]))
                throw new CliUsageException($"{option}: value {i + 1} ('{parts[i]}') is not an integer");
        }
        return values;
    }

    /// <summary>Parses "none,ln,rn" into distinct normalizer names, each checked against <see cref="Normalizers.Names"/>.</summary>
    public static string[] NormalizerNames(string option, string text)
    {
        string[] names = [.. SplitList(option, text).Distinct()];
        foreach (string name in names)
        {
            if (!Normalizers.Names.Contains(name))
                throw new CliUsageException($"{option}: unknown normalizer '{name}'. Valid: {string.Join(", ", Normalizers.Names)}");
        }
        return names;
    }

    private static string[] SplitList(string option, string text)
    {
        string[] parts = text.Split(',', StringSplitOptions.TrimEntries);
        if (parts.Length == 0 || parts.Any(p => p.Length == 0))
            throw new CliUsageException($"{option}: expected a comma-separated list without empty items, got '{text}'");
        return parts;
    }
}
