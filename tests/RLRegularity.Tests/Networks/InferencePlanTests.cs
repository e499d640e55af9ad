using RLRegularity.Networks;
using RLRegularity.Normalization;

namespace RLRegularity.Tests.Networks;

/// <summary>The one place that decides host or libtorch for a policy's no-grad forwards, and says why not the host.</summary>
public sealed class InferencePlanTests
{
    public InferencePlanTests() => TorchRuntime.Initialize(1);

    private static Mlp Head(string normalizer) =>
        new(new MlpSpec(4, [8], 2, Activation.Tanh, Normalizers.Parse(normalizer), NormalizerOptions.Default));

    [Fact]
    public void HostWhenEveryHeadHasAHostForm()
    {
        using Mlp actor = Head("rn"), critic = Head("ln");
        InferencePlan plan = InferencePlan.Decide(hostInference: true, encoder: null, [("actor", actor), ("critic", critic)]);
        Assert.Equal(InferencePath.Host, plan.Path);
        Assert.Null(plan.HostFallbackReason);
        Assert.Equal(2, plan.Head(1).OutputSize);
    }

    [Fact]
    public void LibtorchWithTheReasonOtherwise()
    {
        using Mlp plain = Head("none"), batchNorm = Head("bn");
        InferencePlan off = InferencePlan.Decide(hostInference: false, encoder: null, [("actor", plain)]);
        Assert.Equal(InferencePath.Libtorch, off.Path);
        Assert.Equal("host_inference is false", off.HostFallbackReason);

        InferencePlan bn = InferencePlan.Decide(hostInference: true, encoder: null, [("actor", plain), ("critic", batchNorm)]);
        Assert.Equal(InferencePath.Libtorch, bn.Path);
        Assert.StartsWith("the critic: its BatchNormalization layers (normalizer 'bn')", bn.HostFallbackReason);

        using var encoder = new GridEncoder(7, 7);
        InferencePlan grid = InferencePlan.Decide(hostInference: true, encoder, [("actor", plain)]);
        Assert.Equal(InferencePath.Libtorch, grid.Path);
        Assert.Contains("GridEncoder", grid.HostFallbackReason);
        var e = Assert.Throws<InvalidOperationException>(() => grid.Head(0));
        Assert.Contains("GridEncoder", e.Message);
    }
}
