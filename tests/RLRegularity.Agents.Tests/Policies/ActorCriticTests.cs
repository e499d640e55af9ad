using RLRegularity.Agents.Policies;
using RLRegularity.Agents.Ppo;
using RLRegularity.Envs.Core;
using RLRegularity.Networks;
using RLRegularity.Normalization;
using TorchSharp;

namespace RLRegularity.Agents.Tests.Policies;

/// <summary>PPO's policy: typed modes, the single no-grad forward's path choice and its stated fallback reason.</summary>
public sealed class ActorCriticTests
{
    public ActorCriticTests() => TorchRuntime.Initialize(1);

    private static ActorCritic Build(PpoConfig config, string envId = "CartPole-v1")
    {
        using IEnv env = EnvRegistry.Make(envId);
        return new ActorCritic(config, env, seed: 1);
    }

    [Fact]
    public void ModesSetTrainingFlagsAndRnStateTraffic()
    {
        using ActorCritic policy = Build(PpoConfig.Classic with { Normalizer = NormalizerKind.RN });
        var layers = policy.Networks.SelectMany(n => RegularityLayers.Find(n.Network)).ToList();
        Assert.Equal(4, layers.Count);
        Assert.Null(policy.Mode);

        policy.SetMode(ActorCriticMode.Rollout);
        Assert.Equal(ActorCriticMode.Rollout, policy.Mode);
        Assert.All(policy.Networks, n => Assert.False(n.Network.training));
        Assert.All(layers, l => Assert.Equal(RegularityMode.Eval, l.ModeOverride));

        policy.SetMode(ActorCriticMode.Update);
        Assert.All(policy.Networks, n => Assert.True(n.Network.training));
        Assert.All(layers, l => Assert.Equal(RegularityMode.FollowModule, l.ModeOverride));

        // After a checkpoint load the cached mode is forgotten, so the next SetMode applies it even if it looks unchanged.
        layers[0].ModeOverride = RegularityMode.Train;
        policy.ForgetMode();
        policy.SetMode(ActorCriticMode.Update);
        Assert.Equal(RegularityMode.FollowModule, layers[0].ModeOverride);
    }

    [Fact]
    public void RolloutModeForwardsLeaveRnStateUnchanged()
    {
        using ActorCritic policy = Build(PpoConfig.Classic with { Normalizer = NormalizerKind.RN });
        policy.SetMode(ActorCriticMode.Update);
        float[] observations = [0.1f, -0.2f, 0.03f, 0.4f, -0.1f, 0.2f, 0.0f, -0.3f];
        using (torch.NewDisposeScope()) policy.Forward(torch.tensor(observations, [2, 4]));
        var before = policy.RegularitySnapshots();
        policy.SetMode(ActorCriticMode.Rollout);
        policy.Predict(observations, 2, new float[4], new float[2]);
        var after = policy.RegularitySnapshots();
        Assert.Equal(before.Select(s => (s.Layer, s.Comp, s.Mean, s.Std)), after.Select(s => (s.Layer, s.Comp, s.Mean, s.Std)));
        Assert.Equal(["actor.fc1.rn", "actor.fc2.rn", "critic.fc1.rn", "critic.fc2.rn"], after.Select(s => s.Layer));
    }

    [Theory]
    [InlineData("none")]
    [InlineData("rn")]
    [InlineData("rnr")]
    [InlineData("ln")]
    public void HostLayersRunOnTheHostAndAgreeWithLibtorch(string norm)
    {
        using ActorCritic host = Build(PpoConfig.Classic with { Normalizer = Normalizers.Parse(norm) });
        using ActorCritic torchPath = Build(PpoConfig.Classic with { Normalizer = Normalizers.Parse(norm), HostInference = false });
        Assert.Equal(InferencePath.Host, host.InferencePath);
        Assert.Null(host.HostFallbackReason);
        Assert.Equal(InferencePath.Libtorch, torchPath.InferencePath);
        Assert.Equal("host_inference is false", torchPath.HostFallbackReason);

        float[] observations = [0.1f, -0.2f, 0.03f, 0.4f, -0.1f, 0.2f, 0.0f, -0.3f, 1.5f, 0.7f, -0.9f, 0.05f];
        float[] hostLogProbs = new float[6], torchLogProbs = new float[6], hostValues = new float[3], torchValues = new float[3];
        host.SetMode(ActorCriticMode.Rollout);
        torchPath.SetMode(ActorCriticMode.Rollout);
        host.Predict(observations, 3, hostLogProbs, hostValues);
        torchPath.Predict(observations, 3, torchLogProbs, torchValues);
        for (int i = 0; i < 6; i++) Assert.Equal(torchLogProbs[i], hostLogProbs[i], 5);
        for (int i = 0; i < 3; i++) Assert.Equal(torchValues[i], hostValues[i], 5);
        // Rows are log-probabilities: they exponentiate to a distribution.
        Assert.Equal(1.0, Math.Exp(hostLogProbs[0]) + Math.Exp(hostLogProbs[1]), 5);

        // An empty span skips its head.
        float[] valuesOnly = new float[3];
        host.Predict(observations, 3, [], valuesOnly);
        Assert.Equal(hostValues, valuesOnly);
    }

    [Theory]
    [InlineData("bn", "BatchNormalization")]
    [InlineData("wn", "WeightNormLinear")]
    public void LayersWithoutAHostFormFallBackToLibtorchAndSayWhy(string norm, string layer)
    {
        using ActorCritic policy = Build(PpoConfig.Classic with { Normalizer = Normalizers.Parse(norm) });
        Assert.Equal(InferencePath.Libtorch, policy.InferencePath);
        Assert.Contains(layer, policy.HostFallbackReason);
        Assert.Contains($"'{norm}'", policy.HostFallbackReason);
        float[] logProbs = new float[2], values = new float[1];
        policy.SetMode(ActorCriticMode.Rollout);
        policy.Predict([0.1f, 0.2f, 0.3f, 0.4f], 1, logProbs, values);
        Assert.Equal(1.0, Math.Exp(logProbs[0]) + Math.Exp(logProbs[1]), 5);
    }

    [Fact]
    public void GridEncoderForcesLibtorchAndSaysWhy()
    {
        using ActorCritic policy = Build(PpoConfig.MiniGrid, "MiniGrid-Empty-5x5-v0");
        Assert.Equal(ObservationEncoder.Grid, policy.Encoder);
        Assert.Equal(InferencePath.Libtorch, policy.InferencePath);
        Assert.Contains("GridEncoder", policy.HostFallbackReason);
        Assert.Equal(["encoder", "actor", "critic"], policy.Networks.Select(n => n.Name));
    }

    [Fact]
    public void SamplingInvertsTheCumulativeDistribution()
    {
        float[] logProbs = [MathF.Log(0.25f), MathF.Log(0.75f)];
        var rng = new Rng(3, RngStreams.Learner);
        var reference = new Rng(3, RngStreams.Learner);
        for (int i = 0; i < 50; i++)
            Assert.Equal(reference.NextDouble() < 0.25 ? 0 : 1, ActorCritic.SampleCategorical(logProbs, rng));
    }
}
