using System.Text.Json.Nodes;
using RLRegularity.TestSupport;

namespace RLRegularity.Cli.Tests;

/// <summary>
/// <c>rlreg export --run DIR --format pt</c>: Debian's PyTorch (python3-torch; tools/install-test-prerequisites.sh)
/// reads the state_dict, and tools/python/rlreg_policy.py rebuilds each describable network and reproduces the outputs
/// computed in C#; RN-family networks load as tensors and are named as not rebuildable.
/// </summary>
public sealed class PolicyExportTests : IDisposable
{
    private const string Python = "/usr/bin/python3";

    private readonly string _root = Directory.CreateTempSubdirectory("rlreg-pt").FullName;

    public void Dispose() => Directory.Delete(_root, recursive: true);

    private string Train(string agent, string norm, params string[] extra)
    {
        string run = Path.Combine(_root, $"{agent}-{norm}");
        var result = CliRunner.Run(["train", "--agent", agent, "--env", "CartPole-v1", "--norm", norm, "--steps", "1024", "--quiet", "--out", run, .. extra]);
        Assert.True(result.ExitCode == 0, result.Error);
        return run;
    }

    private (int ExitCode, string Output) Check(string pt)
    {
        Assert.True(ChildProcess.Run(Python, ["-c", "import torch"]).ExitCode == 0,
            $"exporting to PyTorch is checked with {Python} and torch: run tools/install-test-prerequisites.sh (or apt-get install python3-torch)");
        return ChildProcess.Run(Python, [Path.Combine(ReferenceData.RepositoryRoot, "tools", "python", "rlreg_policy.py"), pt]);
    }

    [Theory]
    [InlineData("ppo", "ln", new[] { "actor", "critic" })]
    [InlineData("ppo", "bn", new[] { "actor", "critic" })]
    [InlineData("dqn", "wn", new[] { "online", "target" })]
    public void PyTorchRebuildsTheNetworksAndReproducesTheirOutputs(string agent, string norm, string[] networks)
    {
        string run = Train(agent, norm, agent == "ppo" ? ["--set", "num_steps=64"] : ["--set", "learning_starts=256"]);
        string pt = Path.Combine(_root, "out", $"{agent}-{norm}.pt");
        var export = CliRunner.Run("export", "--run", run, "--format", "pt", "--out", pt);
        Assert.True(export.ExitCode == 0, export.Error);
        JsonObject description = JsonNode.Parse(File.ReadAllText(Path.ChangeExtension(pt, ".json")))!.AsObject();
        Assert.Equal("rlregularity-policy/1", description["format"]!.GetValue<string>());
        Assert.Equal(networks, description["networks"]!.AsObject().Select(n => n.Key));
        Assert.All(networks, n => Assert.True(description["networks"]![n]!["rebuildable"]!.GetValue<bool>()));

        (int code, string output) = Check(pt);
        Assert.True(code == 0, output);
        foreach (string network in networks) Assert.Contains($"{network}: rebuilt", output);
    }

    [Fact]
    public void RnNetworksLoadInPyTorchAndSayWhyTheyAreNotRebuilt()
    {
        string run = Train("ppo", "rn", "--set", "num_steps=64");
        string pt = Path.Combine(_root, "rn.pt");
        var export = CliRunner.Run("export", run, "--format", "pt", "--out", pt);
        Assert.True(export.ExitCode == 0, export.Error);
        Assert.Contains("note: actor cannot be rebuilt from plain PyTorch layers: its rn layers keep RN's incremental statistics", export.Error);
        (int code, string output) = Check(pt);
        Assert.True(code == 0, output);
        Assert.Contains("actor: ", output);
        Assert.Contains("not rebuilt", output);
    }

    [Fact]
    public void OnlyARunFolderExportsAPolicy()
    {
        string run = Train("ppo", "none", "--set", "num_steps=64");
        var study = CliRunner.Run("export", "--run", _root, "--format", "pt", "--out", Path.Combine(_root, "x.pt"));
        Assert.Equal(2, study.ExitCode);
        Assert.Contains("is not a run folder", study.Error);
        var both = CliRunner.Run("export", run, "--run", run, "--format", "pt", "--out", Path.Combine(_root, "x.pt"));
        Assert.Equal(2, both.ExitCode);
        Assert.Contains("give the folder once", both.Error);
        var missing = CliRunner.Run("export", "--run", run, "--format", "pt", "--checkpoint", "step_7", "--out", Path.Combine(_root, "x.pt"));
        Assert.Equal(2, missing.ExitCode);
        Assert.Contains("no checkpoint named 'step_7'", missing.Error);
        Assert.False(File.Exists(Path.Combine(_root, "x.pt")));
    }
}
