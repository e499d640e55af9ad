using System.Text.Json.Nodes;
using RLRegularity.Agents.Common;
using RLRegularity.Agents.Dqn;

namespace RLRegularity.Agents.Tests;

public sealed class ConfigBindingTests
{
    [Fact]
    public void PresetsFileAndOverridesCompose()
    {
        var file = JsonNode.Parse("""{"batch_size": 64, "normalizer_options": {"prior_strength": 0.5}}""")!.AsObject();
        JsonObject resolved = AgentFactory.Resolve("dqn", "paper", file, ["learning_rate=3e-4", "hidden_sizes=32,32", "double_dqn=true", "loss=huber"]);
        DqnConfig c = ConfigBinding.FromJson<DqnConfig>(resolved);
        Assert.Equal(64, c.BatchSize);
        Assert.Equal(0.5, c.NormalizerOptions.PriorStrength);
        Assert.Equal(3e-4, c.LearningRate);
        Assert.Equal([32, 32], c.HiddenSizes);
        Assert.True(c.DoubleDqn);
        Assert.Equal(TdLoss.Huber, c.Loss);
        Assert.Equal(TargetUpdate.Soft, c.TargetUpdate); // from the paper preset
        Assert.Equal(1e-3, c.Tau);
    }

    [Theory]
    [InlineData("learnin_rate=1", "unknown config key 'learnin_rate'", "learning_rate")]
    [InlineData("gamma=1.5", "'gamma' must be between 0 and 1", "1.5")]
    [InlineData("batch_size=big", "batch_size expects an integer (int)", "got 'big'")]
    [InlineData("loss=l1", "loss expects one of", "huber")]
    [InlineData("normalizer_options.nope=1", "unknown config key 'normalizer_options.nope'", "prior_strength")]
    [InlineData("normalizer=\"zz\"", "normalizer expects one of none, bn, ln, wn, rn, rln, rnln, rnr, probe", "rnr")]
    public void BadOverridesNameTheKeyAndWhatIsValid(string assignment, string message, string hint)
    {
        var e = Assert.Throws<ArgumentException>(() => AgentFactory.Resolve("dqn", null, null, [assignment]));
        Assert.Contains(message, e.Message);
        Assert.Contains(hint, e.Message);
    }

    [Fact]
    public void ConfigFileValuesOfTheWrongTypeNameTheKeyAndTheExpectedType()
    {
        var file = JsonNode.Parse("""{"gamma": "high", "normalizer_options": {"prior_strength": true}}""")!.AsObject();
        var e = Assert.Throws<ArgumentException>(() => AgentFactory.Resolve("dqn", null, file, []));
        Assert.Equal("gamma expects a number (double), got '\"high\"'", e.Message);
        file = JsonNode.Parse("""{"normalizer_options": {"prior_strength": true}}""")!.AsObject();
        e = Assert.Throws<ArgumentException>(() => AgentFactory.Resolve("dqn", null, file, []));
        Assert.Equal("normalizer_options.prior_strength expects a number (double), got 'true'", e.Message);
    }

    [Fact]
    public void UnknownAgentsAndPresetsListTheValidOnes()
    {
        Assert.Contains("dqn, ppo", Assert.Throws<ArgumentException>(() => AgentFactory.Preset("a2c", null)).Message);
        Assert.Contains("tuned, paper", Assert.Throws<ArgumentException>(() => AgentFactory.Preset("dqn", "fast")).Message);
    }
}
