namespace RLRegularity.Envs.Rendering;

/// <summary>
/// Filled polygons, circles and horizontal lines on an <see cref="RgbImage"/>, in coordinates whose y axis points up
/// (as Gymnasium's classic-control renderers draw before flipping the surface): a pixel is painted when its centre
/// lies inside the shape.
/// </summary>
public static class Raster
{
    /// <summary>Paints the whole image one colour.</summary>
    public static void Clear(RgbImage image, (byte R, byte G, byte B) colour)
    {
        for (int i = 0; i < image.Pixels.Length; i += 3) Set(image.Pixels, i, colour);
    }

    /// <summary>Fills the polygon with vertices <paramref name="points"/> (even-odd rule).</summary>
    public static void FillPolygon(RgbImage image, ReadOnlySpan<(double X, double Y)> points, (byte R, byte G, byte B) colour)
    {
        double minY = double.MaxValue, maxY = double.MinValue;
        foreach (var p in points) (minY, maxY) = (Math.Min(minY, p.Y), Math.Max(maxY, p.Y));
        Span<double> crossings = stackalloc double[points.Length];
        for (int row = Math.Max(0, (int)Math.Floor(minY)); row <= Math.Min(image.Height - 1, (int)Math.Ceiling(maxY)); row++)
        {
            double y = row + 0.5;
            int count = 0;
            for (int i = 0, j = points.Length - 1; i < points.Length; j = i++)
            {
                (double x0, double y0) = points[j];
                (double x1, double y1) = points[i];
                if ((y0 <= y) != (y1 <= y)) crossings[count++] = x0 + (y - y0) / (y1 - y0) * (x1 - x0);
            }
            crossings[..count].Sort();
            for (int k = 0; k + 1 < count; k += 2) Span(image, row, crossings[k], crossings[k + 1], colour);
        }
    }

    /// <summary>Fills the circle of centre (<paramref name="cx"/>, <paramref name="cy"/>) and radius <paramref name="radius"/>.</summary>
    public static void FillCircle(RgbImage image, double cx, double cy, double radius, (byte R, byte G, byte B) colour)
    {
        for (int row = Math.Max(0, (int)Math.Floor(cy - radius)); row <= Math.Min(image.Height - 1, (int)Math.Ceiling(cy + radius)); row++)
        {
            double dy = row + 0.5 - cy;
            if (dy * dy > radius * radius) continue;
            double half = Math.Sqrt(radius * radius - dy * dy);
            Span(image, row, cx - half, cx + half, colour);
        }
    }

    /// <summary>A one-pixel horizontal line at height <paramref name="y"/> from <paramref name="x0"/> to <paramref name="x1"/>.</summary>
    public static void HorizontalLine(RgbImage image, double x0, double x1, double y, (byte R, byte G, byte B) colour)
    {
        int row = (int)Math.Floor(y);
        if (row >= 0 && row < image.Height) Span(image, row, Math.Min(x0, x1), Math.Max(x0, x1) + 1, colour);
    }

    // Paints the pixels of row `row` (y up) whose centres lie in [from, to].
    private static void Span(RgbImage image, int row, double from, double to, (byte R, byte G, byte B) colour)
    {
        int first = Math.Max(0, (int)Math.Ceiling(from - 0.5)), last = Math.Min(image.Width - 1, (int)Math.Floor(to - 0.5));
        int offset = (image.Height - 1 - row) * image.Width * 3;
        for (int x = first; x <= last; x++) Set(image.Pixels, offset + x * 3, colour);
    }

    private static void Set(byte[] pixels, int at, (byte R, byte G, byte B) colour) =>
        (pixels[at], pixels[at + 1], pixels[at + 2]) = (colour.R, colour.G, colour.B);
}
