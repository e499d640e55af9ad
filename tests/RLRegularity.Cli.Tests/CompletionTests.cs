using RLRegularity.TestSupport;

namespace RLRegularity.Cli.Tests;

/// <summary>Shell completion: the bash script, sourced in a real bash, completes verbs, options and their values by
/// asking the real rlreg binary.</summary>
public sealed class CompletionTests : IDisposable
{
    private readonly string _root = Directory.CreateTempSubdirectory("rlreg-completion").FullName;

    public void Dispose() => Directory.Delete(_root, recursive: true);

    [Fact]
    public void ScriptsAreWrittenForBashAndZsh()
    {
        Assert.Contains("complete -o default -F _rlreg_complete rlreg", CliRunner.Run("completion", "bash").Output);
        var zsh = CliRunner.Run("completion", "zsh");
        Assert.StartsWith("#compdef rlreg", zsh.Output);
        Assert.Contains("compdef _rlreg rlreg", zsh.Output);
        Assert.Equal(2, CliRunner.Run("completion", "fish").ExitCode);
    }

    [Theory]
    [InlineData("rlreg tr", "train")]
    [InlineData("rlreg train --ag", "--agent")]
    [InlineData("rlreg train --agent ", "dqn ppo")]
    [InlineData("rlreg train --env Acro", "Acrobot-MassDrift-v0 Acrobot-v1")]
    [InlineData("rlreg export runs --format ", "csv parquet pt runs")]
    [System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
    public void BashCompletesFromTheBinary(string line, string expected)
    {
        // `rlreg` on the PATH is this build of the tool.
        string wrapper = Path.Combine(_root, "rlreg");
        File.WriteAllText(wrapper, $"#!/bin/sh\nexec dotnet \"{typeof(CliApp).Assembly.Location}\" \"$@\"\n");
        File.SetUnixFileMode(wrapper, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        string script = Path.Combine(_root, "rlreg.bash");
        File.WriteAllText(script, CliRunner.Run("completion", "bash").Output);
        string probe = $"source '{script}'; COMP_LINE='{line}'; COMP_POINT={line.Length}; _rlreg_complete; echo \"${{COMPREPLY[*]}}\"";
        string output = ChildProcess.RunOrThrow("env", [$"PATH={_root}:{Environment.GetEnvironmentVariable("PATH")}", "bash", "-c", probe]);
        Assert.Equal(expected, output.Trim());
    }
}
