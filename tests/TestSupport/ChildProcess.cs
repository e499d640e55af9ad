using System.Diagnostics;

namespace RLRegularity.TestSupport;

/// <summary>Runs a program to completion and captures what it prints, for tests that drive dotnet, git, mount or python.</summary>
public static class ChildProcess
{
    /// <summary>The exit code and everything written to standard output and standard error.</summary>
    public static (int ExitCode, string Output) Run(string file, IEnumerable<string> arguments, string? directory = null)
    {
        var info = new ProcessStartInfo(file) { RedirectStandardOutput = true, RedirectStandardError = true, WorkingDirectory = directory ?? "" };
        foreach (string argument in arguments) info.ArgumentList.Add(argument);
        using Process process = Process.Start(info)!;
        Task<string> stdout = process.StandardOutput.ReadToEndAsync(), stderr = process.StandardError.ReadToEndAsync();
        process.WaitForExit();
        return (process.ExitCode, stdout.Result + stderr.Result);
    }

    /// <summary>Runs the program and returns its output; a non-zero exit is an exception that shows the command and the output.</summary>
    public static string RunOrThrow(string file, IEnumerable<string> arguments, string? directory = null)
    {
        string[] args = [.. arguments];
        (int code, string output) = Run(file, args, directory);
        return code == 0 ? output
            : throw new InvalidOperationException($"{file} {string.Join(' ', args)}{(directory is null ? "" : $" (in {directory})")} exited with {code}:\n{output}");
    }
}
