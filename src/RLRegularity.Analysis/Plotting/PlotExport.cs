using OxyPlot;

namespace RLRegularity.Plotting;

/// <summary>Writes plot models as PNG (SkiaSharp) or SVG (OxyPlot's exporter), chosen by the file extension.</summary>
public static class PlotExport
{
    /// <summary>Saves <paramref name="model"/> to <paramref name="path"/> (.png or .svg) at the given size in pixels.</summary>
    public static void Save(PlotModel model, string path, int width = 1200, int height = 700)
    {
        string extension = Path.GetExtension(path).ToLowerInvariant();
        if (extension is not (".png" or ".svg"))
            throw new ArgumentException($"cannot write '{path}': plots are written as .png or .svg");
        string? directory = Path.GetDirectoryName(Path.GetFullPath(path));
        if (directory is not null) Directory.CreateDirectory(directory);
        using var stream = File.Create(path);
        if (extension == ".png")
        {
            // Text shaping would load HarfBuzz's native library, whose served builds do not load on Debian 12; plain
            // text rendering needs only SkiaSharp's.
            new OxyPlot.SkiaSharp.PngExporter { Width = width, Height = height, UseTextShaping = false }.Export(model, stream);
        }
        else
        {
            new SvgExporter { Width = width, Height = height }.Export(model, stream);
        }
    }
}
