using System.Text.Json;

namespace RLRegularity.Cli.Tests;

/// <summary>Runs <c>rlreg</c> in-process and captures what it prints.</summary>
internal static class CliRunner
{
    public sealed record Result(int ExitCode, string Output, string Error)
    {
        /// <summary>The printed lines that are JSON objects, parsed.</summary>
        public List<JsonElement> JsonLines() =>
            [.. Output.Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(l => JsonDocument.Parse(l).RootElement.Clone())];
    }

    public static Result Run(params string[] args)
    {
        var output = new StringWriter();
        var error = new StringWriter();
        int code = CliApp.Run(args, output, error);
        return new Result(code, output.ToString(), error.ToString());
    }
}
