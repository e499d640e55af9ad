using System.Text;
using OxyPlot;
using OxyPlot.SkiaSharp;
using SkiaSharp;

namespace RLRegularity.Plotting;

/// <summary>The size of a figure and of its text.</summary>
/// <param name="Width">Width in pixels at 96 dpi (a PDF page is the same size: <c>Width</c>/96 inches).</param>
/// <param name="Height">Height in pixels at 96 dpi.</param>
/// <param name="FontSize">Size of axis labels, ticks and legend; the title is 9/7 of it and the subtitle equal.</param>
public sealed record FigureSize(int Width = 1200, int Height = 700, double FontSize = 14)
{
    /// <summary>Throws an <see cref="ArgumentException"/> naming the option out of range.</summary>
    public void Validate()
    {
        if (Width is < 100 or > 20_000) throw new ArgumentException($"--width must be between 100 and 20000 pixels, got {Width}");
        if (Height is < 100 or > 20_000) throw new ArgumentException($"--height must be between 100 and 20000 pixels, got {Height}");
        if (!(FontSize >= 4 && FontSize <= 200)) throw new ArgumentException($"--font-size must be between 4 and 200, got {FontSize}");
    }
}

/// <summary>
/// Writes plot models as PNG, PDF or SVG, chosen by the file extension, all drawn by SkiaSharp in the shipped font
/// (<see cref="ShippedFont"/>), so that text is measured and set alike in every format and on every machine.
/// </summary>
public static class PlotExport
{
    /// <summary>The file extensions a figure can be written as.</summary>
    public static readonly string[] Extensions = [".png", ".pdf", ".svg"];

    /// <summary>Saves <paramref name="model"/> to <paramref name="path"/> (.png, .pdf or .svg).</summary>
    public static void Save(PlotModel model, string path, FigureSize? size = null)
    {
        size ??= new FigureSize();
        size.Validate();
        string extension = Path.GetExtension(path).ToLowerInvariant();
        if (!Extensions.Contains(extension))
            throw new ArgumentException($"cannot write '{path}': plots are written as {string.Join(", ", Extensions)}");
        Style(model, size);
        string? directory = Path.GetDirectoryName(Path.GetFullPath(path));
        if (directory is not null) Directory.CreateDirectory(directory);
        using var stream = File.Create(path);
        switch (extension)
        {
            case ".png":
                WritePng(model, stream, size);
                break;
            case ".pdf":
                WritePdf(model, stream, size);
                break;
            default:
                WriteSvg(model, stream, size);
                break;
        }
    }

    private static void Style(PlotModel model, FigureSize size)
    {
        model.DefaultFont = ShippedFont.Family;
        model.DefaultFontSize = size.FontSize;
        model.TitleFontSize = size.FontSize * 9 / 7;
        model.SubtitleFontSize = size.FontSize;
    }

    // Text shaping would load HarfBuzz's native library, whose served builds do not load on Debian 12; plain text
    // rendering needs only SkiaSharp's, and the figures' text (Latin, Greek, symbols) needs no shaping.
    private static SkiaRenderContext Context(SKCanvas canvas, RenderTarget target, float dpiScale)
    {
        var context = new SkiaRenderContext { RenderTarget = target, SkCanvas = canvas, UseTextShaping = false, DpiScale = dpiScale };
        ShippedFont.Install(context);
        return context;
    }

    private static void Render(IPlotModel model, SkiaRenderContext context, SKCanvas canvas, double width, double height)
    {
        model.Update(true);
        if (!model.Background.IsInvisible()) canvas.Clear(model.Background.ToSKColor());
        model.Render(context, new OxyRect(0, 0, width, height));
    }

    private static void WritePng(PlotModel model, Stream stream, FigureSize size)
    {
        using var bitmap = new SKBitmap(size.Width, size.Height);
        using (var canvas = new SKCanvas(bitmap))
        using (SkiaRenderContext context = Context(canvas, RenderTarget.PixelGraphic, 1f))
        {
            Render(model, context, canvas, size.Width, size.Height);
        }
        using var png = new SKManagedWStream(stream);
        if (!bitmap.Encode(png, SKEncodedImageFormat.Png, 100)) throw new IOException("SkiaSharp could not encode the PNG");
    }

    // A PDF page is measured in points (1/72 in): the figure keeps its size in inches, and the font is embedded.
    private static void WritePdf(PlotModel model, Stream stream, FigureSize size)
    {
        const float pointsPerPixel = 72f / 96;
        using var pdf = new SKManagedWStream(stream);
        using var document = SKDocument.CreatePdf(pdf) ?? throw new IOException("SkiaSharp could not create a PDF document");
        using (SKCanvas canvas = document.BeginPage(size.Width * pointsPerPixel, size.Height * pointsPerPixel))
        using (SkiaRenderContext context = Context(canvas, RenderTarget.VectorGraphic, pointsPerPixel))
        {
            Render(model, context, canvas, size.Width, size.Height);
        }
        document.EndPage();
        document.Close();
    }

    // SVG names fonts instead of embedding them, so the shipped font travels inside the file as an @font-face rule
    // (a data URI per weight); a viewer then sets the text exactly as measured here.
    private static void WriteSvg(PlotModel model, Stream stream, FigureSize size)
    {
        using var buffer = new MemoryStream();
        using (var svg = new SKManagedWStream(buffer))
        {
            using SKCanvas canvas = SKSvgCanvas.Create(new SKRect(0, 0, size.Width, size.Height), svg);
            using SkiaRenderContext context = Context(canvas, RenderTarget.VectorGraphic, 1f);
            Render(model, context, canvas, size.Width, size.Height);
        }
        string text = Encoding.UTF8.GetString(buffer.ToArray());
        int open = text.IndexOf("<svg", StringComparison.Ordinal);
        int end = open < 0 ? -1 : text.IndexOf('>', open);
        if (end < 0) throw new IOException("SkiaSharp wrote an SVG without an <svg> element");
        var style = new StringBuilder("<style>");
        foreach ((int weight, string name) in new[] { (400, "normal"), (700, "bold") })
            style.Append($"@font-face{{font-family:'{ShippedFont.Family}';font-weight:{name};src:url(data:font/ttf;base64,{Convert.ToBase64String(ShippedFont.FileFor(weight))}) format('truetype');}}");
        style.Append("</style>");
        byte[] bytes = Encoding.UTF8.GetBytes(text.Insert(end + 1, style.ToString()));
        stream.Write(bytes);
    }
}
