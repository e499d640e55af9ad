using RLRegularity.TestSupport;
using System.Text.Json.Nodes;

namespace RLRegularity.Cli.Tests;

/// <summary>
/// <c>rlreg train</c> and <c>rlreg compare</c> at their edges: resume refuses changes and extends only on request, a
/// run's config.json repeats the run, and output folders that cannot or must not be written are refused up front.
/// </summary>
public sealed class TrainCommandTests : IDisposable
{
    private readonly string _root = Directory.CreateTempSubdirectory("rlreg-train-cli").FullName;

    public void Dispose() => Directory.Delete(_root, recursive: true);

    private string Train(string name, params string[] extra)
    {
        string run = Path.Combine(_root, name);
        var result = CliRunner.Run(["train", "--agent", "ppo", "--env", "CartPole-v1", "--steps", "1024", "--seed", "3",
                                    "--set", "num_steps=64", "--quiet", "--out", run, .. extra]);
        Assert.True(result.ExitCode == 0, result.Error);
        return run;
    }

    private static string Rows(string path, int columns) =>
        string.Join('\n', File.ReadLines(path).Select(l => string.Join(',', l.Split(',').Take(columns))));

    [Fact]
    public void ResumeRefusesOptionsThatWouldChangeTheRunAndNamesThem()
    {
        string run = Train("conflicts");
        string config = File.ReadAllText(Path.Combine(run, "config.json"));
        foreach ((string[] args, string named) in new (string[], string)[]
                 {
                     (["--seed", "9"], "--seed 9 (the run's: 3)"),
                     (["--agent", "dqn"], "--agent dqn"),
                     (["--env", "Acrobot-v1"], "--env Acrobot-v1"),
                     (["--set", "learning_rate=0.1"], "learning_rate: 0.1"),
                     (["--norm", "rn"], "normalizer: \"rn\""),
                     (["--steps", "4096"], "--extend-to 4096"),
                     (["--out", Path.Combine(_root, "elsewhere")], "--out cannot be combined with --resume"),
                 })
        {
            var refused = CliRunner.Run(["train", "--resume", run, "--quiet", .. args]);
            Assert.Equal(2, refused.ExitCode);
            Assert.Contains(named, refused.Error);
            Assert.DoesNotContain("   at ", refused.Error);
        }
        Assert.Equal(config, File.ReadAllText(Path.Combine(run, "config.json")));
        // Options that agree with the run are fine.
        var same = CliRunner.Run("train", "--resume", run, "--seed", "3", "--agent", "ppo", "--set", "num_steps=64", "--quiet");
        Assert.True(same.ExitCode == 0, same.Error);
    }

    [Fact]
    public void CheckpointAndExtendToWorkWithResumeOnly()
    {
        string run = Train("extend");
        Assert.Equal(2, CliRunner.Run("train", "--agent", "ppo", "--env", "CartPole-v1", "--steps", "64", "--checkpoint", "final").ExitCode);
        Assert.Equal(2, CliRunner.Run("train", "--agent", "ppo", "--env", "CartPole-v1", "--steps", "64", "--extend-to", "2048").ExitCode);
        var missing = CliRunner.Run("train", "--resume", run, "--checkpoint", "step-7", "--quiet");
        Assert.Equal(2, missing.ExitCode);
        Assert.Contains("no checkpoint named 'step-7'", missing.Error);

        var extended = CliRunner.Run("train", "--resume", run, "--extend-to", "2048", "--quiet");
        Assert.True(extended.ExitCode == 0, extended.Error);
        JsonObject config = JsonNode.Parse(File.ReadAllText(Path.Combine(run, "config.json")))!.AsObject();
        Assert.Equal(2048, config["run"]!["steps"]!.GetValue<long>());
        Assert.Equal("--extend-to", config["extensions"]![0]!["command_line"]![4]!.GetValue<string>());
        Assert.True(Directory.Exists(Path.Combine(run, "checkpoints", "final-1024")));
        var fromNamed = CliRunner.Run("train", "--resume", run, "--checkpoint", "final", "--quiet");
        Assert.True(fromNamed.ExitCode == 0, fromNamed.Error);
    }

    [Fact]
    public void ARunsOwnConfigJsonRepeatsTheRun()
    {
        string original = Train("original");
        string again = Path.Combine(_root, "again");
        var repeated = CliRunner.Run("train", "--config", Path.Combine(original, "config.json"), "--out", again, "--quiet");
        Assert.True(repeated.ExitCode == 0, repeated.Error);
        Assert.Equal(Rows(Path.Combine(original, "episodes.csv"), 4), Rows(Path.Combine(again, "episodes.csv"), 4));
        JsonObject config = JsonNode.Parse(File.ReadAllText(Path.Combine(again, "config.json")))!.AsObject();
        Assert.Equal(["rlreg", "train", "--config"], config["command_line"]!.AsArray().Take(3).Select(a => a!.GetValue<string>()));
        // Command-line options still win over the file's run settings.
        string otherSeed = Path.Combine(_root, "other-seed");
        Assert.Equal(0, CliRunner.Run("train", "--config", Path.Combine(original, "config.json"), "--seed", "4", "--steps", "128", "--out", otherSeed, "--quiet").ExitCode);
        Assert.Equal(4, JsonNode.Parse(File.ReadAllText(Path.Combine(otherSeed, "config.json")))!["run"]!["seed"]!.GetValue<long>());
        var wrongAgent = CliRunner.Run("train", "--config", Path.Combine(original, "config.json"), "--agent", "dqn", "--out", Path.Combine(_root, "x"), "--quiet");
        Assert.Equal(2, wrongAgent.ExitCode);
        Assert.Contains("a ppo run's config", wrongAgent.Error);
    }

    [Fact]
    public void OutputThatIsAFileOrUnderAFileIsRefused()
    {
        string file = Path.Combine(_root, "notes.txt");
        File.WriteAllText(file, "mine");
        var onFile = CliRunner.Run("train", "--agent", "ppo", "--env", "CartPole-v1", "--steps", "64", "--out", file, "--quiet");
        Assert.Equal(2, onFile.ExitCode);
        Assert.Contains("is a file, not a folder", onFile.Error);
        var underFile = CliRunner.Run("compare", "--agent", "ppo", "--env", "CartPole-v1", "--norms", "none", "--seeds", "1", "--steps", "64",
                                      "--out", Path.Combine(file, "study"), "--quiet");
        Assert.Equal(2, underFile.ExitCode);
        Assert.Contains("is a file", underFile.Error);
        Assert.Equal("mine", File.ReadAllText(file));
    }

    [Fact]
    [System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
    public void ReadOnlyOutputIsRefusedWithItsRealCause()
    {
        string folder = Path.Combine(_root, "read-only");
        using var readOnly = ReadOnlyFolder.Make(folder);
        var train = CliRunner.Run("train", "--agent", "ppo", "--env", "CartPole-v1", "--steps", "64", "--out", Path.Combine(folder, "run"), "--quiet");
        var compare = CliRunner.Run("compare", "--agent", "ppo", "--env", "CartPole-v1", "--norms", "none", "--seeds", "1", "--steps", "64",
                                    "--out", Path.Combine(folder, "study"), "--quiet");
        foreach (var result in new[] { train, compare })
        {
            Assert.Equal(2, result.ExitCode);
            Assert.Contains(readOnly.Cause, result.Error);
            Assert.DoesNotContain("in use", result.Error);
            Assert.DoesNotContain("   at ", result.Error);
        }
    }

    [Fact]
    [System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
    public void PlotAndRenderFilesAreCheckedBeforeAnythingIsDrawn()
    {
        string run = Train("plotted");
        var onFolder = CliRunner.Run("plot", run, "--out", _root);
        Assert.Equal(2, onFolder.ExitCode);
        Assert.Contains("is a folder; give a file name", onFolder.Error);
        string folder = Path.Combine(_root, "read-only-plots");
        using var readOnly = ReadOnlyFolder.Make(folder);
        foreach (var result in new[]
                 {
                     CliRunner.Run("plot", run, "--out", Path.Combine(folder, "curve.png")),
                     CliRunner.Run("env", "render", "--env", "MiniGrid-Empty-5x5-v0", "--png", Path.Combine(folder, "level.png")),
                 })
        {
            Assert.Equal(2, result.ExitCode);
            Assert.Contains(readOnly.Cause, result.Error);
        }
    }

    [Fact]
    public void EvaluationsDuringTrainingAreLoggedAndPlotted()
    {
        string run = Train("evaluated", "--eval-every", "512", "--eval-episodes", "2");
        string[] evals = File.ReadAllLines(Path.Combine(run, "evals.csv"));
        Assert.Equal("global_step,evaluation,mean_return,std_return,mean_length,episodes", evals[0]);
        Assert.Equal(3, evals.Length); // at 512 and 1024
        string plot = Path.Combine(_root, "eval.svg");
        var plotted = CliRunner.Run("plot", run, "--metric", "eval", "--out", plot);
        Assert.True(plotted.ExitCode == 0, plotted.Error);
        Assert.Contains("evaluation return", File.ReadAllText(plot));
        // A resume may not change the evaluation settings.
        var changed = CliRunner.Run("train", "--resume", run, "--eval-every", "256", "--quiet");
        Assert.Equal(2, changed.ExitCode);
        Assert.Contains("--eval-every 256", changed.Error);
    }

    [Fact]
    public void RegularityEveryZeroIsRefusedBeforeTheFolderExists()
    {
        string run = Path.Combine(_root, "zero");
        var result = CliRunner.Run("train", "--agent", "ppo", "--env", "CartPole-v1", "--steps", "64", "--regularity-every", "0", "--out", run, "--quiet");
        Assert.Equal(2, result.ExitCode);
        Assert.Contains("--regularity-every", result.Error);
        Assert.False(Directory.Exists(run));
    }

    [Fact]
    public void CompareNeverWritesIntoAFolderThatIsNotItsStudy()
    {
        string run = Train("a-run");
        string summary = File.ReadAllText(Path.Combine(run, "summary.json"));
        string[] compare = ["compare", "--agent", "ppo", "--env", "CartPole-v1", "--norms", "none", "--seeds", "1", "--steps", "64", "--quiet"];
        var intoRun = CliRunner.Run([.. compare, "--out", run]);
        Assert.Equal(2, intoRun.ExitCode);
        Assert.Contains("holds a training run", intoRun.Error);
        Assert.Equal(summary, File.ReadAllText(Path.Combine(run, "summary.json")));
        Assert.False(File.Exists(Path.Combine(run, "study.json")));

        string withFiles = Path.Combine(_root, "with-files");
        Directory.CreateDirectory(withFiles);
        File.WriteAllText(Path.Combine(withFiles, "data.csv"), "x\n1\n");
        Assert.Equal(2, CliRunner.Run([.. compare, "--out", withFiles]).ExitCode);
        Assert.Equal(["data.csv"], Directory.GetFileSystemEntries(withFiles).Select(Path.GetFileName));

        // Its own study folder resumes; the same folder with another study is refused, naming the difference.
        string study = Path.Combine(_root, "study");
        Assert.Equal(0, CliRunner.Run([.. compare, "--out", study]).ExitCode);
        var other = CliRunner.Run(["compare", "--agent", "ppo", "--env", "CartPole-v1", "--norms", "none", "--seeds", "1", "--steps", "128", "--quiet", "--out", study]);
        Assert.Equal(2, other.ExitCode);
        Assert.Contains("steps: 128 (was 64)", other.Error);
    }
}

/// <summary>A folder that cannot be written: a read-only tmpfs mounted over it when running as root (who ignores
/// permission bits), or its write permission removed otherwise.</summary>
[System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
internal sealed class ReadOnlyFolder : IDisposable
{
    private readonly string _path;
    private readonly bool _mounted;

    private ReadOnlyFolder(string path, bool mounted, string cause) => (_path, _mounted, Cause) = (path, mounted, cause);

    /// <summary>The reason rlreg should give.</summary>
    public string Cause { get; }

    public static ReadOnlyFolder Make(string path)
    {
        Directory.CreateDirectory(path);
        if (Environment.IsPrivilegedProcess)
        {
            ChildProcess.RunOrThrow("mount", ["-t", "tmpfs", "-o", "ro,size=1m", "tmpfs", path]);
            return new ReadOnlyFolder(path, mounted: true, "the file system is read-only");
        }
        File.SetUnixFileMode(path, UnixFileMode.UserRead | UnixFileMode.UserExecute);
        return new ReadOnlyFolder(path, mounted: false, "permission denied");
    }

    public void Dispose()
    {
        if (_mounted) ChildProcess.RunOrThrow("umount", [_path]);
        else File.SetUnixFileMode(_path, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
    }

}
