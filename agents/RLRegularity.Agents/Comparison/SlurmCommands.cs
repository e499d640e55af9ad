using System.ComponentModel;
using System.Diagnostics;

namespace RLRegularity.Agents.Comparison;

/// <summary>Runs Slurm's client commands (sbatch, squeue, scontrol) and returns what they print; a missing command or a failure is an error saying which.</summary>
public static class SlurmCommands
{
    /// <summary>Runs <paramref name="command"/> with <paramref name="arguments"/>; its stdout, or an <see cref="InvalidOperationException"/> with its stderr.</summary>
    public static string Run(string command, params string[] arguments)
    {
        var info = new ProcessStartInfo(command) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (string a in arguments) info.ArgumentList.Add(a);
        Process process;
        try
        {
            process = Process.Start(info) ?? throw new InvalidOperationException($"could not start {command}");
        }
        catch (Win32Exception e)
        {
            throw new InvalidOperationException($"--executor slurm needs Slurm's '{command}' on PATH: {e.Message}");
        }
        using (process)
        {
            Task<string> error = process.StandardError.ReadToEndAsync();
            string output = process.StandardOutput.ReadToEnd();
            process.WaitForExit();
            if (process.ExitCode != 0)
                throw new InvalidOperationException($"{command} {string.Join(' ', arguments)} failed ({process.ExitCode}): {error.Result.Trim()}");
            return output;
        }
    }

    /// <summary>The cluster's MaxArraySize (array indices must be below it); Slurm's default 1001 when it cannot be read.</summary>
    public static int MaxArraySize()
    {
        foreach (string line in Run("scontrol", "show", "config").Split('\n'))
        {
            string[] parts = line.Split('=', 2, StringSplitOptions.TrimEntries);
            if (parts.Length == 2 && parts[0] == "MaxArraySize" && int.TryParse(parts[1], out int max) && max > 0) return max;
        }
        return 1001;
    }

    /// <summary>Every queued array task, as (array job id, task id) → state (PENDING, RUNNING, ...); plain jobs under task id -1.</summary>
    public static Dictionary<(string Job, int Task), (string State, string Id)> Queue()
    {
        var queue = new Dictionary<(string, int), (string, string)>();
        foreach (string line in Run("squeue", "-h", "-r", "-o", "%F|%K|%T|%i").Split('\n', StringSplitOptions.RemoveEmptyEntries))
        {
            string[] f = line.Trim().Split('|');
            if (f.Length < 4) continue;
            queue[(f[0], int.TryParse(f[1], out int task) ? task : -1)] = (f[2], f[3]);
        }
        return queue;
    }
}
