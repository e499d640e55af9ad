using System.Text.Json;
using RLRegularity.TestSupport;

namespace RLRegularity.Cli.Tests;

public sealed class MiniGridCommandsTests : IDisposable
{
    private readonly string _folder = Directory.CreateTempSubdirectory("rlreg-minigrid-").FullName;

    public void Dispose() => Directory.Delete(_folder, recursive: true);

    private string WriteFile(string name, string text)
    {
        string path = Path.Combine(_folder, name);
        File.WriteAllText(path, text);
        return path;
    }

    [Fact]
    public void ObsAndStepReproduceEveryFixture()
    {
        foreach (MiniGridFixture f in MiniGridReference.Load())
        {
            string grid = WriteFile($"fixture{f.Index}.json", f.GridJson);
            var obs = CliRunner.Run("env", "obs", "--grid", grid);
            Assert.True(obs.ExitCode == 0, $"{f}: {obs.Error}");
            JsonElement o = Assert.Single(obs.JsonLines());
            Assert.Equal(JsonSerializer.Serialize(f.Image), JsonSerializer.Serialize(MiniGridReference.ToImage(o.GetProperty("image"))));
            Assert.Equal(f.Direction, o.GetProperty("direction").GetInt32());
            Assert.Equal(f.Mission, o.GetProperty("mission").GetString());
            foreach (var (action, expected) in f.Steps)
            {
                var step = CliRunner.Run("env", "step", "--grid", grid, "--action", action.ToString(System.Globalization.CultureInfo.InvariantCulture));
                Assert.True(step.ExitCode == 0, $"{f} action {action}: {step.Error}");
                JsonElement s = Assert.Single(step.JsonLines());
                Assert.True(Math.Abs(expected.Reward - s.GetProperty("reward").GetDouble()) <= 1e-12, $"{f} action {action}: reward");
                Assert.Equal(expected.Terminated, s.GetProperty("terminated").GetBoolean());
                Assert.Equal(expected.Truncated, s.GetProperty("truncated").GetBoolean());
                Assert.True(MiniGridReference.SameJson(expected.AfterJson, s.GetProperty("after").GetRawText()), $"{f} action {action}: after");
            }
        }
    }

    [Fact]
    public void LayoutGivesTheSameObservationAsTheGridDescription()
    {
        string layout = WriteFile("doorkey.txt", """
            ; a 5x5 DoorKey level
            mission: use the key to open the door and then get to the goal
            max_steps: 250
            ##########
            ##>>##..##
            ##..Ly..##
            ##Ky##GG##
            ##########
            """);
        var r = CliRunner.Run("env", "obs", "--layout", layout);
        Assert.True(r.ExitCode == 0, r.Error);
        JsonElement o = Assert.Single(r.JsonLines());
        Assert.Equal(0, o.GetProperty("direction").GetInt32());
        Assert.Equal("use the key to open the door and then get to the goal", o.GetProperty("mission").GetString());
        int[][][] image = MiniGridReference.ToImage(o.GetProperty("image"));
        Assert.Equal([1, 0, 0], image[6][3]); // the agent's own cell: nothing carried
        Assert.Equal([2, 5, 0], image[5][3]); // the wall ahead
        Assert.Equal([0, 0, 0], image[4][3]); // hidden behind it
    }

    [Fact]
    public void BadInputsGiveClearUsageErrors()
    {
        var missing = CliRunner.Run("env", "obs", "--grid", Path.Combine(_folder, "nope.json"));
        Assert.Equal(2, missing.ExitCode);
        Assert.Contains("does not exist", missing.Error);

        var notJson = CliRunner.Run("env", "obs", "--grid", WriteFile("bad.json", "{ nope"));
        Assert.Equal(2, notJson.ExitCode);
        Assert.Contains("not valid JSON", notJson.Error);

        string fixture = MiniGridReference.Load()[0].GridJson;
        var badCell = CliRunner.Run("env", "obs", "--grid", WriteFile("cell.json", fixture.Replace("[[[2, 5, 0]", "[[[2, 5]", StringComparison.Ordinal)));
        Assert.Equal(2, badCell.ExitCode);
        Assert.Contains("cells[0][0]", badCell.Error);

        var noMission = CliRunner.Run("env", "obs", "--grid", WriteFile("nomission.json", fixture.Replace("\"mission\"", "\"missio\"", StringComparison.Ordinal)));
        Assert.Equal(2, noMission.ExitCode);
        Assert.Contains("missing field 'mission'", noMission.Error);

        var badLayout = CliRunner.Run("env", "obs", "--layout", WriteFile("bad.txt", "######\n##>>Xq\n######\n"));
        Assert.Equal(2, badLayout.ExitCode);
        Assert.Contains(":2:5:", badLayout.Error);

        var badAction = CliRunner.Run("env", "step", "--grid", WriteFile("ok.json", fixture), "--action", "7");
        Assert.Equal(2, badAction.ExitCode);

        var neither = CliRunner.Run("env", "obs");
        Assert.Equal(2, neither.ExitCode);
        Assert.Contains("--grid", neither.Error);
    }

    [Fact]
    public void RenderPrintsTheLevelAndWritesAPng()
    {
        var text = CliRunner.Run("env", "render", "--env", "MiniGrid-DoorKey-8x8-v0", "--seed", "1");
        Assert.True(text.ExitCode == 0, text.Error);
        Assert.Contains("GG", text.Output);
        Assert.Contains("Ly", text.Output);
        Assert.Contains("agent's view", text.Output);

        string png = Path.Combine(_folder, "doorkey.png");
        var image = CliRunner.Run("env", "render", "--env", "MiniGrid-DoorKey-8x8-v0", "--seed", "1", "--png", png, "--tile-size", "8");
        Assert.True(image.ExitCode == 0, image.Error);
        byte[] bytes = File.ReadAllBytes(png);
        Assert.Equal([0x89, (byte)'P', (byte)'N', (byte)'G'], bytes[..4]);
        Assert.Equal(64, Assert.Single(image.JsonLines()).GetProperty("width").GetInt32());
    }

    [Fact]
    public void StatsAndBenchRunForMiniGridIds()
    {
        var stats = CliRunner.Run("env", "stats", "--env", "MiniGrid-Empty-5x5-v0", "--episodes", "20");
        Assert.True(stats.ExitCode == 0, stats.Error);
        var bench = CliRunner.Run("bench", "env", "--env", "MiniGrid-DoorKey-5x5-v0", "--seconds", "0.05");
        Assert.True(bench.ExitCode == 0, bench.Error);
        Assert.True(Assert.Single(bench.JsonLines()).GetProperty("steps_per_second").GetDouble() > 0);
    }
}
