using System.Text.Json;
using RLRegularity.Agents.Common;

namespace RLRegularity.Cli.Tests;

/// <summary><c>rlreg runs</c>: every run under a folder with its steps and status, as a table or JSON lines.</summary>
public sealed class RunsCommandTests : IDisposable
{
    private readonly string _root = Directory.CreateTempSubdirectory("rlreg-runs-list").FullName;

    public void Dispose() => Directory.Delete(_root, recursive: true);

    private string Train(string name, string norm, long seed)
    {
        string run = Path.Combine(_root, "CartPole-v1", name);
        var result = CliRunner.Run("train", "--agent", "ppo", "--env", "CartPole-v1", "--norm", norm, "--steps", "1024", "--seed", seed.ToString(),
            "--set", "num_steps=64", "--checkpoint-every", "512", "--quiet", "--out", run);
        Assert.True(result.ExitCode == 0, result.Error);
        return run;
    }

    [Fact]
    public void RunsAreListedWithTheirStepsAndStatus()
    {
        string finished = Train("finished", "rn", 1);
        string interrupted = Train("interrupted", "none", 2);
        // As if stopped after its periodic checkpoint at 512: no final checkpoint, no summary.
        Directory.Delete(Path.Combine(interrupted, "checkpoints", "final"), recursive: true);
        File.Delete(Path.Combine(interrupted, "summary.json"));
        string running = Train("running", "ln", 3);
        File.Delete(Path.Combine(running, "summary.json"));
        string notStarted = Path.Combine(_root, "CartPole-v1", "not-started");
        Directory.CreateDirectory(notStarted);
        File.Copy(Path.Combine(finished, "config.json"), Path.Combine(notStarted, "config.json"));
        Directory.CreateDirectory(Path.Combine(_root, "study"));
        File.WriteAllText(Path.Combine(_root, "study", "config.json"), "{\"something\": \"else\"}");

        using RunFolder held = RunFolder.Open(running);
        var listed = CliRunner.Run("runs", _root, "--json");
        Assert.True(listed.ExitCode == 0, listed.Error);
        Dictionary<string, JsonElement> byName = listed.JsonLines().ToDictionary(j => Path.GetFileName(j.GetProperty("folder").GetString())!);
        Assert.Equal(["finished", "interrupted", "not-started", "running"], byName.Keys.Order());
        Assert.Equal("finished", byName["finished"].GetProperty("status").GetString());
        Assert.Equal(1024, byName["finished"].GetProperty("steps_done").GetInt64());
        Assert.Equal("rn", byName["finished"].GetProperty("norm").GetString());
        Assert.Equal("interrupted", byName["interrupted"].GetProperty("status").GetString());
        Assert.InRange(byName["interrupted"].GetProperty("steps_done").GetInt64(), 512, 1024);
        Assert.Equal(1024, byName["interrupted"].GetProperty("steps_planned").GetInt64());
        Assert.Equal("running", byName["running"].GetProperty("status").GetString());
        Assert.Equal("not started", byName["not-started"].GetProperty("status").GetString());
        Assert.Equal(JsonValueKind.Null, byName["not-started"].GetProperty("final_return").ValueKind);
        Assert.True(byName["finished"].GetProperty("final_return").GetDouble() > 0);

        var table = CliRunner.Run("runs", _root);
        string[] lines = table.Output.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.StartsWith("run", lines[0]);
        Assert.Equal(5, lines.Length);
        Assert.Contains(lines, l => l.Contains(Path.Combine("CartPole-v1", "finished")) && l.Contains("1,024 / 1,024") && l.Contains("finished"));
    }

    [Fact]
    public void AMissingFolderIsAUsageError()
    {
        var result = CliRunner.Run("runs", Path.Combine(_root, "nothing"));
        Assert.Equal(2, result.ExitCode);
        Assert.Contains("is not a folder", result.Error);
    }
}
