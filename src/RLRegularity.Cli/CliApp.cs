using System.CommandLine;

namespace RLRegularity.Cli;

/// <summary>The <c>rlreg</c> command tree and its error handling; output goes to the given writers so tests can run it in-process.</summary>
public static class CliApp
{
    /// <summary>Exit code for a bad argument, option or input file.</summary>
    public const int UsageError = 2;

    /// <summary>Exit code for a failure while running (e.g. a numerical failure during training).</summary>
    public const int RuntimeError = 1;

    /// <summary>Parses <paramref name="args"/>, runs the verb and returns its exit code.</summary>
    public static int Run(string[] args, TextWriter output, TextWriter error)
    {
        var context = new CliContext(output, error) { CommandLine = ["rlreg", .. args] };
        RootCommand root = BuildRoot(context);
        ParseResult parsed = root.Parse(args);
        if (parsed.Errors.Count > 0 && !args.Any(a => a is "-h" or "--help" or "-?"))
        {
            foreach (var parseError in parsed.Errors) error.WriteLine($"error: {parseError.Message}");
            string verb = string.Join(' ', parsed.CommandResult.Command.Name == root.Name ? [] : CommandPath(parsed.CommandResult));
            error.WriteLine($"Run 'rlreg {verb}{(verb.Length > 0 ? " " : "")}--help' for usage.");
            return UsageError;
        }
        var config = new InvocationConfiguration { Output = output, Error = error, EnableDefaultExceptionHandler = false };
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

    private static IEnumerable<string> CommandPath(System.CommandLine.Parsing.CommandResult result)
    {
        var names = new Stack<string>();
        for (var r = result; r.Parent is System.CommandLine.Parsing.CommandResult parent; r = parent) names.Push(r.Command.Name);
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
