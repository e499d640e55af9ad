namespace RLRegularity.Envs.Rendering;

/// <summary>An 8-bit RGB image, rows top to bottom, pixels left to right (numpy's <c>[height, width, 3]</c> C order).</summary>
public sealed class RgbImage
{
    /// <summary>Creates a black image.</summary>
    public RgbImage(int width, int height)
    {
        if (width <= 0 || height <= 0) throw new ArgumentOutOfRangeException(nameof(width), $"an image needs positive sides, got {width}x{height}");
        Width = width;
        Height = height;
        Pixels = new byte[width * height * 3];
    }

    /// <summary>Width in pixels.</summary>
    public int Width { get; }

    /// <summary>Height in pixels.</summary>
    public int Height { get; }

    /// <summary>The bytes: pixel (x, y) channel c at <c>(y · Width + x) · 3 + c</c>.</summary>
    public byte[] Pixels { get; }

    /// <summary>The colour of pixel (x, y).</summary>
    public (byte R, byte G, byte B) this[int x, int y]
    {
        get
        {
            int o = (y * Width + x) * 3;
            return (Pixels[o], Pixels[o + 1], Pixels[o + 2]);
        }
    }
}
