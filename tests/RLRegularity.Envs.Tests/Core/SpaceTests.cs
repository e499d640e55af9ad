using RLRegularity.Envs.Core;

namespace RLRegularity.Envs.Tests.Core;

public sealed class SpaceTests
{
    [Fact]
    public void DiscreteSamplesStayInsideAndCoverTheSpace()
    {
        var space = new DiscreteSpace(3, start: -1);
        var rng = new Rng(0);
        var seen = new HashSet<int>();
        for (int i = 0; i < 300; i++)
        {
            int v = space.Sample(rng);
            Assert.True(space.Contains(v));
            seen.Add(v);
        }
        Assert.Equal([-1, 0, 1], seen.Order());
        Assert.False(space.Contains(2));
        Assert.False(space.Contains([0.5f]));
        Assert.Equal("Discrete(3, start=-1)", space.ToString());
        Assert.Throws<ArgumentOutOfRangeException>(() => new DiscreteSpace(0));
    }

    [Fact]
    public void BoxMembershipAndSampling()
    {
        var box = new BoxSpace([-1f, 0f], [1f, float.PositiveInfinity], [2]);
        Assert.True(box.Contains([0.5f, 100f]));
        Assert.False(box.Contains([1.5f, 0f]));
        Assert.False(box.Contains([0f, float.NaN]));
        Assert.False(box.Contains([0f]));
        var rng = new Rng(1);
        Span<float> v = stackalloc float[2];
        for (int i = 0; i < 1000; i++)
        {
            box.Sample(rng, v);
            Assert.True(box.Contains(v));
        }
        Assert.Throws<ArgumentException>(() => new BoxSpace([1f], [0f], [1]));
    }

    [Fact]
    public void ByteBoxesSampleIntegers()
    {
        var image = new BoxSpace(0, 255, [7, 7, 3], BoxDType.UInt8);
        Assert.Equal(147, image.FlatSize);
        var v = new float[147];
        image.Sample(new Rng(2), v);
        Assert.All(v, x => Assert.Equal(MathF.Round(x), x));
        Assert.True(image.Contains(v));
        v[0] = 0.5f;
        Assert.False(image.Contains(v));
        Assert.Equal("Box(0, 255, (7, 7, 3), uint8)", image.ToString());
    }
}
