using System.CommandLine;
using System.CommandLine.Parsing;

namespace RLRegularity.Cli;

/// <summary>The <c>rlreg</c> command tree and its error handling; output goes to the given writers so tests can run it in-process.</summary>
public static class CliApp
{
    /// <summary>Exit code for a bad argument, option or input file.</summary>
    public const int UsageError = 2;

    /// <summary>Exit code for a failure while running (e.g. a numerical failure during training).</summary>
    public const int RuntimeError = 1;

    /// <summary>
    /// Parses <paramref name="args"/>, runs the verb and returns its exit code. A command group without its verb
    /// (<c>rlreg</c>, <c>rlreg env</c>) prints its usage to the output, since that is all it can do, and exits with
    /// <see cref="UsageError"/> because nothing was run; misspelt verbs and options are named with the nearest valid one.
    /// </summary>
    public static int Run(string[] args, TextWriter output, TextWriter error)
    {
        var context = new CliContext(output, error) { CommandLine = ["rlreg", .. args] };
        RootCommand root = BuildRoot(context);
        ParseResult parsed = root.Parse(args);
        var config = new InvocationConfiguration { Output = output, Error = error, EnableDefaultExceptionHandler = false };
        if (!args.Any(a => a is "-h" or "--help" or "-?"))
        {
            Command command = parsed.CommandResult.Command;
            string path = string.Join(' ', ["rlreg", .. CommandPath(parsed.CommandResult)]);
            bool optionAction = parsed.Action is not null and not System.CommandLine.Invocation.ParseErrorAction; // --version
            if (!optionAction && command.Action is null && command.Subcommands.Count > 0 && parsed.UnmatchedTokens.Count == 0)
            {
                root.Parse([.. CommandPath(parsed.CommandResult), "--help"]).Invoke(config);
                error.WriteLine($"error: '{path}' needs a command: {string.Join(", ", command.Subcommands.Where(c => !c.Hidden).Select(c => c.Name))}");
                return UsageError;
            }
            if (parsed.Errors.Count > 0)
            {
                foreach (string message in ErrorMessages(parsed, command, path)) error.WriteLine($"error: {message}");
                error.WriteLine($"Run '{path} --help' for usage.");
                return UsageError;
            }
        }
        try
        {
            return parsed.Invoke(config);
        }
        catch (CliUsageException e)
        {
            error.WriteLine($"error: {e.Message}");
            return UsageError;
        }
        catch (Exception e) when (e is ArgumentException or FormatException or FileNotFoundException or DirectoryNotFoundException or InvalidDataException)
        {
            error.WriteLine($"error: {e.Message}");
            return UsageError;
        }
        catch (Exception e) when (e is InvalidOperationException or IOException or ArithmeticException)
        {
            error.WriteLine($"error: {e.Message}");
            return RuntimeError;
        }
    }

    // Misspelt options and verbs are named with the nearest valid name. A misspelt option is reported even when the
    // parser took it as a command's argument (plot --metrc DIR reads '--metrc' as DIR); the errors that follow from it
    // (its value unmatched, an argument missing) are left out.
    private static IEnumerable<string> ErrorMessages(ParseResult parsed, Command command, string path)
    {
        string[] strays = [.. parsed.CommandResult.Children.OfType<ArgumentResult>().SelectMany(a => a.Tokens).Select(t => t.Value), .. parsed.UnmatchedTokens];
        string[] unknownOptions = [.. strays.Where(LooksLikeOption).Select(t => t.Split('=')[0]).Distinct()];
        if (unknownOptions.Length > 0)
        {
            string[] valid = [.. OptionsOf(parsed.CommandResult).SelectMany(o => o.Aliases.Prepend(o.Name)).Where(n => n.StartsWith("--", StringComparison.Ordinal))];
            foreach (string option in unknownOptions)
            {
                string? near = NearestName.Find(option, valid);
                yield return $"unknown option '{option}' for '{path}'{(near is null ? $"; '{path} --help' lists its options" : $"; did you mean '{near}'?")}";
            }
            yield break;
        }
        if (command.Subcommands.Count > 0 && parsed.UnmatchedTokens.Count > 0)
        {
            string typed = parsed.UnmatchedTokens[0];
            string[] verbs = [.. command.Subcommands.Where(c => !c.Hidden).Select(c => c.Name)];
            string? near = NearestName.Find(typed, verbs);
            yield return $"unknown command '{typed}' for '{path}'; {(near is null ? $"the commands are {string.Join(", ", verbs)}" : $"did you mean '{near}'?")}";
            yield break;
        }
        foreach (var parseError in parsed.Errors) yield return parseError.Message;
    }

    // An option-like token: a dash and a name, not a negative number.
    private static bool LooksLikeOption(string token) =>
        token.Length > 1 && token[0] == '-' && !CliParsing.TryParseCount(token, out _)
        && !double.TryParse(token, System.Globalization.NumberStyles.Float, System.Globalization.CultureInfo.InvariantCulture, out _);

    // The options valid on a command: its own and the recursive ones of its parents (--help).
    private static IEnumerable<Option> OptionsOf(CommandResult result)
    {
        foreach (Option option in result.Command.Options) yield return option;
        for (var r = result.Parent as CommandResult; r is not null; r = r.Parent as CommandResult)
        {
            foreach (Option option in r.Command.Options.Where(o => o.Recursive)) yield return option;
        }
    }

    private static IEnumerable<string> CommandPath(CommandResult result)
    {
        var names = new Stack<string>();
        for (var r = result; r.Parent is CommandResult parent; r = parent) names.Push(r.Command.Name);
        return names;
    }

    /// <summary>Builds the command tree; every verb writes through <paramref name="context"/>.</summary>
    public static RootCommand BuildRoot(CliContext context)
    {
        var root = new RootCommand("rlreg: reinforcement learning with Regularity Normalization (RLRegularity).");
        root.Subcommands.Add(EnvCommand.Build(context));
        root.Subcommands.Add(BenchCommand.Build(context));
        root.Subcommands.Add(TrainCommand.Build(context));
        root.Subcommands.Add(EvalCommand.Build(context));
        root.Subcommands.Add(CompareCommand.Build(context));
        root.Subcommands.Add(PlotCommand.Build(context));
        root.Subcommands.Add(RunsCommand.Build(context));
        root.Subcommands.Add(ReportCommand.Build(context));
        root.Subcommands.Add(ExportCommand.Build(context));
        root.Subcommands.Add(CompletionCommand.Build(context));
        return root;
    }
}

/// <summary>Where a verb writes its results and its diagnostics, and the command line it was given (recorded by runs).</summary>
public sealed record CliContext(TextWriter Output, TextWriter Error)
{
    /// <summary>The program name and its arguments, as typed.</summary>
    public IReadOnlyList<string> CommandLine { get; init; } = [];
}

/// <summary>A user error found while validating input (bad value, unknown name); its message is shown as is.</summary>
public sealed class CliUsageException(string message) : Exception(message);
