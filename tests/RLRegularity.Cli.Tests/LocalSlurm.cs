using System.Diagnostics;

namespace RLRegularity.Cli.Tests;

/// <summary>
/// The single-node Slurm of tools/slurm/local-cluster.sh for a test: used as it is when it is up, started (and stopped
/// again on dispose) when it is not. Where it cannot be started (not root, no apt-get), the test fails with the reason:
/// a Slurm test that silently passes without Slurm proves nothing.
/// </summary>
internal sealed class LocalSlurm : IDisposable
{
    private readonly string? _script;

    private LocalSlurm(string? startedWith) => _script = startedWith;

    public static LocalSlurm Ensure()
    {
        if (Up()) return new LocalSlurm(null);
        string script = Path.Combine(RepositoryRoot(), "tools", "slurm", "local-cluster.sh");
        if (!IsRoot())
            Assert.Fail($"Slurm is not running and this test cannot start it: {script} needs root (start the cluster with 'sudo {script} start', then run the test)");
        (int code, string output) = Shell(script, "start");
        if (code != 0 || !Up()) Assert.Fail($"Slurm is not running and '{script} start' could not start it (exit {code}): {output.Trim()}");
        return new LocalSlurm(script);
    }

    public void Dispose()
    {
        if (_script is not null) Shell(_script, "stop");
    }

    // A controller that answers and a node that takes jobs.
    private static bool Up()
    {
        try
        {
            (int code, string output) = Shell("sinfo", "-h", "-o", "%t");
            return code == 0 && output.Split('\n', StringSplitOptions.TrimEntries).Any(s => s is "idle" or "mix" or "alloc" or "comp");
        }
        catch (System.ComponentModel.Win32Exception)
        {
            return false;
        }
    }

    // The effective uid from /proc (Environment.UserName follows $USER, which sudo and setpriv may leave as it was).
    private static bool IsRoot() => File.ReadAllLines("/proc/self/status").FirstOrDefault(l => l.StartsWith("Uid:"))?.Split('\t', StringSplitOptions.RemoveEmptyEntries)[1] == "0";

    private static string RepositoryRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "RLRegularity.sln"))) return dir.FullName;
        }
        throw new InvalidOperationException($"no RLRegularity.sln above {AppContext.BaseDirectory}");
    }

    private static (int Code, string Output) Shell(string command, params string[] arguments)
    {
        var info = new ProcessStartInfo(command) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (string a in arguments) info.ArgumentList.Add(a);
        using Process process = Process.Start(info)!;
        Task<string> error = process.StandardError.ReadToEndAsync();
        string output = process.StandardOutput.ReadToEnd();
        process.WaitForExit();
        return (process.ExitCode, output + error.Result);
    }
}
