using System.CommandLine;
using System.CommandLine.Parsing;
using System.Globalization;
using RLRegularity.Normalization;

namespace RLRegularity.Cli;

/// <summary>Parsing of the numbers and comma-separated values the verbs take, with messages that name the option and the value.</summary>
internal static class CliParsing
{
    /// <summary>What every count option accepts, for its error messages.</summary>
    public const string CountForms = "100000, 100_000, 1e5, 100k or 1.5M";

    /// <summary>
    /// A parser for a whole-number option in [<paramref name="min"/>, <paramref name="max"/>], for
    /// <see cref="Option{T}.CustomParser"/>. It accepts the ways RL users write step counts (<see cref="TryParseCount"/>), and
    /// turns a value that does not parse into a parse error naming the option, the value and what is accepted, where
    /// System.CommandLine's own conversion would let a validator's GetValueOrDefault throw.
    /// </summary>
    public static Func<ArgumentResult, long> Long(long min, long max = long.MaxValue) => result => Count(result, min, max) ?? 0;

    /// <summary>As <see cref="Long"/>, for an <c>int</c> option.</summary>
    public static Func<ArgumentResult, int> Int(int min, int max = int.MaxValue) => result => (int)(Count(result, min, max) ?? 0);

    /// <summary>As <see cref="Long"/>, for an optional option whose absence means "computed from the others".</summary>
    public static Func<ArgumentResult, long?> NullableLong(long min, long max = long.MaxValue) => result => Count(result, min, max);

    /// <summary>A parser for a finite number strictly greater than <paramref name="above"/> (e.g. a duration in seconds).</summary>
    public static Func<ArgumentResult, double> PositiveDouble(double above = 0) => result =>
    {
        string text = SingleToken(result);
        if (double.TryParse(text.Replace("_", ""), NumberStyles.Float, CultureInfo.InvariantCulture, out double value) && double.IsFinite(value) && value > above)
            return value;
        result.AddError($"{OptionName(result)}: '{text}' is not a number greater than {above.ToString(CultureInfo.InvariantCulture)}; give e.g. 3 or 0.5");
        return 0;
    };

    /// <summary>
    /// Restricts a string option to <paramref name="values"/>, matched regardless of case (the value is the listed
    /// spelling); anything else is a one-line error with the nearest valid value, where System.CommandLine's
    /// AcceptOnlyFromAmong prints the list over several lines and suggests nothing.
    /// </summary>
    public static void OneOf(Option<string> option, params string[] values)
    {
        option.HelpName = string.Join('|', values);
        option.CompletionSources.Add(values);
        option.CustomParser = result =>
        {
            string typed = SingleToken(result);
            if (values.FirstOrDefault(v => string.Equals(v, typed, StringComparison.OrdinalIgnoreCase)) is { } value) return value;
            string? near = NearestName.Find(typed, values);
            result.AddError($"{OptionName(result)}: '{typed}' is not one of {string.Join(", ", values)}{(near is null ? "" : $"; did you mean '{near}'?")}");
            return null;
        };
    }

    /// <summary>
    /// <c>compare --seeds</c> and <c>bench train --seeds</c>: a count n (seeds 1..n) or an explicit comma-separated list of distinct non-negative seeds
    /// (<c>1,2,3</c>, <c>0,7,42</c>; <c>42,</c> is the single seed 42).
    /// </summary>
    public static long[]? Seeds(ArgumentResult result)
    {
        string text = SingleToken(result);
        string option = OptionName(result);
        if (!text.Contains(','))
        {
            if (TryParseCount(text, out long n) && n >= 1 && n <= 10_000) return [.. Enumerable.Range(1, (int)n).Select(i => (long)i)];
            result.AddError($"{option}: '{text}' is neither a number of seeds (1 to 10000, meaning seeds 1..n) nor a comma-separated list of seeds such as 0,7,42");
            return null;
        }
        var seeds = new List<long>();
        // A trailing comma makes a list of one: "42," is seed 42, where "42" is 42 seeds.
        foreach (string part in text.TrimEnd().TrimEnd(',').Split(',', StringSplitOptions.TrimEntries))
        {
            if (!TryParseCount(part, out long seed) || seed < 0)
            {
                result.AddError($"{option}: '{part}' in '{text}' is not a seed; seeds are whole numbers ≥ 0, e.g. 0,7,42");
                return null;
            }
            if (seeds.Contains(seed))
            {
                result.AddError($"{option}: seed {seed} appears twice in '{text}'; each seed is one run, give each once");
                return null;
            }
            seeds.Add(seed);
        }
        return [.. seeds];
    }

    /// <summary>
    /// The seeds given with <paramref name="option"/>, or <paramref name="fallback"/> when it was not given. (The default
    /// lives here rather than in a DefaultValueFactory, which --help would print as "1|2|3|4|5", and an absent array
    /// option reads as empty, not null.)
    /// </summary>
    public static long[] SeedsOrDefault(ParseResult parse, Option<long[]> option, long[] fallback) =>
        parse.GetResult(option) is null ? fallback : parse.GetValue(option)!;

    /// <summary>
    /// Parses a whole number written as digits (<c>100000</c>), with digit-group underscores (<c>100_000</c>), in
    /// scientific notation (<c>1e5</c>, <c>2.5e5</c>) or with a k/M/B suffix (<c>100k</c>, <c>1.5M</c>, <c>1B</c>; m means
    /// million too: a count has no milli-). False for a value that is not whole (<c>1.5e0</c>, <c>1e-3</c>) or out of
    /// <c>long</c>'s range.
    /// </summary>
    public static bool TryParseCount(string text, out long value)
    {
        value = 0;
        string s = text.Trim();
        if (s.Length == 0) return false;
        decimal scale = char.ToLowerInvariant(s[^1]) switch { 'k' => 1e3m, 'm' => 1e6m, 'b' => 1e9m, _ => 1m };
        if (scale != 1m) s = s[..^1];
        // Underscores only between digits, as in C# and Python literals.
        for (int i = 0; i < s.Length; i++)
        {
            if (s[i] == '_' && (i == 0 || i == s.Length - 1 || !char.IsAsciiDigit(s[i - 1]) || !char.IsAsciiDigit(s[i + 1]))) return false;
        }
        s = s.Replace("_", "");
        if (s.Length == 0 || !(char.IsAsciiDigit(s[0]) || s[0] is '-' or '+' or '.')) return false;
        if (!decimal.TryParse(s, NumberStyles.AllowLeadingSign | NumberStyles.AllowDecimalPoint | NumberStyles.AllowExponent, CultureInfo.InvariantCulture, out decimal number))
            return false;
        decimal scaled;
        try
        {
            scaled = number * scale;
        }
        catch (OverflowException)
        {
            return false;
        }
        if (scaled != decimal.Truncate(scaled) || scaled < long.MinValue || scaled > long.MaxValue) return false;
        value = (long)scaled;
        return true;
    }

    private static long? Count(ArgumentResult result, long min, long max)
    {
        string text = SingleToken(result);
        string option = OptionName(result);
        bool tooLarge = !TryParseCount(text, out long value)
            && double.TryParse(text.Replace("_", ""), NumberStyles.Float, CultureInfo.InvariantCulture, out double d) && Math.Abs(d) >= long.MaxValue;
        if (tooLarge || (value > max && max >= int.MaxValue))
        {
            result.AddError($"{option}: {text} is too large; at most {max.ToString("N0", CultureInfo.InvariantCulture)}");
            return null;
        }
        if (!TryParseCount(text, out value))
        {
            result.AddError($"{option}: '{text}' is not a whole number; expected {Range(min, max)}{(max >= int.MaxValue ? $", written e.g. {CountForms}" : "")}");
            return null;
        }
        if (value < min || value > max)
        {
            result.AddError($"{option} must be {Range(min, max)}, got {text}");
            return null;
        }
        return value;
    }

    private static string Range(long min, long max) => (min, max) switch
    {
        (1, long.MaxValue or int.MaxValue) => "a positive integer",
        (0, long.MaxValue or int.MaxValue) => "a non-negative integer",
        (_, long.MaxValue or int.MaxValue) => $"an integer ≥ {min}",
        _ => $"an integer from {min} to {max}",
    };

    // An option of arity one has one token; the parser is not called without one.
    private static string SingleToken(ArgumentResult result) => result.Tokens.Count > 0 ? result.Tokens[^1].Value : "";

    private static string OptionName(ArgumentResult result) => result.Parent is OptionResult o ? o.Option.Name : result.Argument.Name;

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
            Normalizers.Parse(name);
        }
        return names;
    }

    /// <summary>The intervention names of a comma-separated list (duplicates dropped); an unknown one is a usage error naming the valid ones.</summary>
    public static string[] InterventionList(string option, string text)
    {
        string[] names = [.. SplitList(option, text).Select(n => n.ToLowerInvariant()).Distinct()];
        foreach (string name in names)
        {
            if (!Agents.Interventions.InterventionNames.All.Contains(name))
                throw new CliUsageException($"{option}: unknown intervention '{name}'. Valid: {string.Join(", ", Agents.Interventions.InterventionNames.All)}");
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
