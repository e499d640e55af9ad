using RLRegularity.Agents.Dqn;
using RLRegularity.Agents.Policies;
using RLRegularity.Envs.Core;
using RLRegularity.Networks;
using RLRegularity.Normalization;
using TorchSharp;

namespace RLRegularity.Agents.Tests.Policies;

/// <summary>DQN's policy: typed modes of the online network, the untouched target, the no-grad forward's path and fallback reason, target updates.</summary>
public sealed class DqnPolicyTests
{
    public DqnPolicyTests() => TorchRuntime.Initialize(1);

    private static DqnPolicy Build(DqnConfig config, string envId = "CartPole-v1")
    {
        using IEnv env = EnvRegistry.Make(envId);
        return new DqnPolicy(config, env, seed: 1);
    }

    [Theory]
    [InlineData(true, RegularityMode.Train)]
    [InlineData(false, RegularityMode.Eval)]
    public void ModesSetTheOnlineNetworkOnly(bool updateRnOnAct, RegularityMode acting)
    {
        using DqnPolicy policy = Build(DqnConfig.Tuned with { Normalizer = NormalizerKind.RN, UpdateRnOnAct = updateRnOnAct });
        var online = RegularityLayers.Find(policy.Online);
        var target = RegularityLayers.Find(policy.Networks.Single(n => n.Name == "target").Network);
        torch.nn.Module targetNetwork = policy.Networks.Single(n => n.Name == "target").Network;
        Assert.NotEmpty(online);

        policy.SetMode(QNetworkMode.Acting);
        Assert.False(policy.Online.training);
        Assert.All(online, l => Assert.Equal(acting, l.ModeOverride));
        policy.SetMode(QNetworkMode.Evaluation);
        Assert.False(policy.Online.training);
        Assert.All(online, l => Assert.Equal(RegularityMode.Eval, l.ModeOverride));
        policy.SetMode(QNetworkMode.Learning);
        Assert.True(policy.Online.training);
        Assert.All(online, l => Assert.Equal(RegularityMode.FollowModule, l.ModeOverride));

        // The target always trains on its own RN state, whatever the online network does.
        Assert.True(targetNetwork.training);
        Assert.All(target, l => Assert.Equal(RegularityMode.FollowModule, l.ModeOverride));
        Assert.Equal(policy.RegularitySnapshots().Count, online.Count + target.Count);
        Assert.All(policy.RegularitySnapshots(), s => Assert.True(s.Layer.StartsWith("online.") || s.Layer.StartsWith("target."), s.Layer));
    }

    [Fact]
    public void HostPathAgreesWithLibtorchAndPicksTheSameGreedyAction()
    {
        using DqnPolicy host = Build(DqnConfig.Tuned with { Normalizer = NormalizerKind.RN });
        using DqnPolicy torchPath = Build(DqnConfig.Tuned with { Normalizer = NormalizerKind.RN, HostInference = false });
        Assert.Equal(InferencePath.Host, host.InferencePath);
        Assert.Null(host.HostFallbackReason);
        Assert.Equal(InferencePath.Libtorch, torchPath.InferencePath);
        Assert.Equal("host_inference is false", torchPath.HostFallbackReason);

        host.SetMode(QNetworkMode.Evaluation);
        torchPath.SetMode(QNetworkMode.Evaluation);
        float[] observations = [0.1f, -0.2f, 0.03f, 0.4f, -1.1f, 0.2f, 0.5f, -0.3f];
        float[] hostQ = new float[4], torchQ = new float[4];
        host.Predict(observations, 2, hostQ);
        torchPath.Predict(observations, 2, torchQ);
        for (int i = 0; i < 4; i++) Assert.Equal(torchQ[i], hostQ[i], 5);
        float[] scratch = new float[2];
        Assert.Equal(torchQ[0] >= torchQ[1] ? 0 : 1, host.GreedyAction(observations.AsSpan(0, 4), scratch));
    }

    [Fact]
    public void BatchNormAndGridEncoderFallBackToLibtorchAndSayWhy()
    {
        using DqnPolicy bn = Build(DqnConfig.Tuned with { Normalizer = NormalizerKind.BN });
        Assert.Equal(InferencePath.Libtorch, bn.InferencePath);
        Assert.Contains("BatchNormalization", bn.HostFallbackReason);

        using DqnPolicy grid = Build(DqnConfig.Tuned, "MiniGrid-DoorKey-5x5-v0");
        Assert.IsType<EncodedMlp>(grid.Online);
        Assert.Equal(InferencePath.Libtorch, grid.InferencePath);
        Assert.Contains("GridEncoder", grid.HostFallbackReason);
        grid.SetMode(QNetworkMode.Acting);
        Assert.InRange(grid.GreedyAction(new float[7 * 7 * 3], new float[grid.ActionCount]), 0, grid.ActionCount - 1);
    }

    [Fact]
    public void TargetStartsAsACopyAndSoftUpdatesMoveItByTau()
    {
        using DqnPolicy policy = Build(DqnConfig.Tuned);
        var online = policy.Online.parameters().ToList();
        var target = policy.Networks.Single(n => n.Name == "target").Network.parameters().ToList();
        for (int i = 0; i < online.Count; i++) Assert.True(online[i].allclose(target[i], 0, 0));

        float before = target[0].data<float>()[0];
        using (torch.no_grad()) online[0].add_(1.0f);
        policy.UpdateTarget(0.25);
        Assert.Equal(before + 0.25f, target[0].data<float>()[0], 5);
        policy.UpdateTarget(1.0);
        Assert.True(online[0].allclose(target[0], 0, 0));
    }
}
