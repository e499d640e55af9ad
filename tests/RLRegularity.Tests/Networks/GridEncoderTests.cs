using RLRegularity.Networks;
using TorchSharp;
using static TorchSharp.torch;

namespace RLRegularity.Tests.Networks;

public sealed class GridEncoderTests
{
    public GridEncoderTests() => TorchRuntime.Initialize(1);

    [Fact]
    public void SevenBySevenViewGivesSixtyFourFeatures()
    {
        using var scope = NewDisposeScope();
        using var encoder = new GridEncoder(7, 7);
        Assert.Equal(64, encoder.OutputSize);
        Tensor features = encoder.forward(rand(5, 7 * 7 * 3) * 10);
        Assert.Equal([5L, 64L], features.shape);
    }

    [Theory]
    [InlineData(9, 9, 256)]   // (9 − 1)/2 − 2 = 2 per side
    [InlineData(11, 7, 192)]  // 3 × 1
    [InlineData(8, 8, 64)]    // even sides floor in the pool
    public void OutputSizeFollowsTheConvStack(int width, int height, int expected)
    {
        Assert.Equal(expected, GridEncoder.OutputSizeFor(width, height));
        using var scope = NewDisposeScope();
        using var encoder = new GridEncoder(width, height);
        Assert.Equal([2L, expected], encoder.forward(zeros(2, width * height * 3)).shape);
    }

    [Theory]
    [InlineData(5, 5)]
    [InlineData(3, 3)]
    [InlineData(7, 5)]
    public void ViewsTooSmallForTheStackAreRejected(int width, int height)
    {
        var e = Assert.Throws<ArgumentException>(() => new GridEncoder(width, height));
        Assert.Contains($"{width}×{height}", e.Message);
        Assert.Contains("at least 7×7", e.Message);
    }

    [Fact]
    public void ObservationCellXYCReachesConvolutionRowXColumnY()
    {
        // Observations are numpy C order of image[x, y, c]: flat index (x·H + y)·C + c. One nonzero cell at (x 2, y 5, c 1).
        const int Width = 7, Height = 9, Channels = 3, X = 2, Y = 5, C = 1;
        float[] observation = new float[Width * Height * Channels];
        observation[(X * Height + Y) * Channels + C] = 4;
        using var scope = NewDisposeScope();
        using var encoder = new GridEncoder(Width, Height, Channels, observationScale: 0.5);
        Tensor image = encoder.Image(tensor(observation, [1, observation.Length]));
        Assert.Equal([1L, Channels, Width, Height], image.shape);
        Assert.Equal(2f, image[0, C, X, Y].item<float>());
        Assert.Equal(2f, image.sum().item<float>());
    }
}
