using TorchSharp;
using static TorchSharp.torch;

namespace RLRegularity.Networks;

/// <summary>
/// The convolutional image encoder of rl-starter-files' <c>ACModel</c> (SPEC §6.2):
/// <c>Conv2d(C,16,2×2) → ReLU → MaxPool(2×2) → Conv2d(16,32,2×2) → ReLU → Conv2d(32,64,2×2) → ReLU → flatten</c>,
/// 64 features for Minigrid's 7×7×3 view. No normalizer sits in it (the paper's ACModelRN has none there either).
/// </summary>
/// <remarks>
/// Input: a batch of flat observations <c>[B, Width·Height·Channels]</c> in numpy C order of <c>image[x, y, c]</c>, which is
/// how <c>MiniGridEnv.WriteObservation</c> lays them out. It is viewed as <c>[B, x, y, c]</c> and permuted to
/// <c>[B, c, x, y]</c>: channels first, then the image's x as the convolution's height axis and y as its width axis.
/// That is exactly rl-starter-files' <c>x.transpose(1, 3).transpose(2, 3)</c> on the <c>[B, W, H, C]</c> numpy image, so
/// cell (x, y) of the grid feeds row x, column y of the first convolution.
/// </remarks>
public sealed class GridEncoder : nn.Module<Tensor, Tensor>
{
    /// <summary>The smallest side the stack accepts: 2×2 conv, 2×2 pool and two more 2×2 convs need (n − 1) / 2 − 2 ≥ 1.</summary>
    public const int MinimumSide = 7;

    private readonly TorchSharp.Modules.Sequential layers;

    /// <summary>
    /// Builds the encoder for <paramref name="width"/> × <paramref name="height"/> × <paramref name="channels"/> images
    /// (x, y, c). <paramref name="observationScale"/> multiplies the input before the first convolution: 1 feeds
    /// Minigrid's raw integer codes as rl-starter-files does.
    /// </summary>
    public GridEncoder(int width, int height, int channels = 3, double observationScale = 1.0) : base("grid_encoder")
    {
        if (channels <= 0) throw new ArgumentOutOfRangeException(nameof(channels), channels, "an image needs at least one channel");
        if (width < MinimumSide || height < MinimumSide)
            throw new ArgumentException(
                $"the grid encoder (2×2 conv, 2×2 max-pool, 2×2 conv, 2×2 conv) needs images of at least {MinimumSide}×{MinimumSide} cells, " +
                $"got {width}×{height}: a side n leaves (n − 1) / 2 − 2 = {Reduced(Math.Min(width, height))} cells after the stack. " +
                "Use a view size of 7 or more, or the MLP encoder (encoder=mlp).");
        if (!(observationScale > 0) || double.IsInfinity(observationScale))
            throw new ArgumentOutOfRangeException(nameof(observationScale), observationScale, "the observation scale must be a positive finite number");
        Width = width;
        Height = height;
        Channels = channels;
        ObservationScale = observationScale;
        OutputSize = OutputSizeFor(width, height);
        layers = nn.Sequential(
            ("conv1", nn.Conv2d(channels, 16, 2)),
            ("relu1", nn.ReLU()),
            ("pool", nn.MaxPool2d(2)),
            ("conv2", nn.Conv2d(16, 32, 2)),
            ("relu2", nn.ReLU()),
            ("conv3", nn.Conv2d(32, 64, 2)),
            ("relu3", nn.ReLU()),
            ("flatten", nn.Flatten()));
        RegisterComponents();
    }

    /// <summary>Cells along the image's x axis.</summary>
    public int Width { get; }

    /// <summary>Cells along the image's y axis.</summary>
    public int Height { get; }

    /// <summary>Values per cell (3 for Minigrid's object, colour, state codes).</summary>
    public int Channels { get; }

    /// <summary>Factor applied to the observation before the first convolution.</summary>
    public double ObservationScale { get; }

    /// <summary>Features per observation: 64 · ((Width − 1) / 2 − 2) · ((Height − 1) / 2 − 2), 64 for 7×7.</summary>
    public int OutputSize { get; }

    /// <summary>Features the stack produces for a <paramref name="width"/> × <paramref name="height"/> image (rl-starter-files' <c>image_embedding_size</c>).</summary>
    public static int OutputSizeFor(int width, int height)
    {
        if (width < MinimumSide || height < MinimumSide)
            throw new ArgumentException($"the grid encoder needs images of at least {MinimumSide}×{MinimumSide} cells, got {width}×{height}");
        return 64 * Reduced(width) * Reduced(height);
    }

    // Side after conv (n − 1), floor-pool ((n − 1) / 2) and two convs (− 2).
    private static int Reduced(int side) => (side - 1) / 2 - 2;

    /// <summary>
    /// The convolution's input for flat <c>[B, Width·Height·Channels]</c> observations: <c>[B, Channels, Width, Height]</c>,
    /// element <c>[b, c, x, y]</c> being observation b's <c>image[x, y, c]</c> times <see cref="ObservationScale"/>.
    /// </summary>
    public Tensor Image(Tensor observations)
    {
        Tensor image = observations.view(-1, Width, Height, Channels).permute(0, 3, 1, 2);
        return ObservationScale == 1.0 ? image : image * ObservationScale;
    }

    /// <summary>Maps flat <c>[B, Width·Height·Channels]</c> observations to <c>[B, OutputSize]</c> features.</summary>
    public override Tensor forward(Tensor observations) => layers.forward(Image(observations));
}
