using System.Text;
using System.Text.RegularExpressions;
using OxyPlot;
using OxyPlot.Axes;
using OxyPlot.Series;
using OxyPlot.SkiaSharp;
using RLRegularity.Plotting;
using SkiaSharp;

namespace RLRegularity.Analysis.Tests.Plotting;

/// <summary>Figures in PNG, PDF and SVG, at the asked size, with text set in the shipped font whatever the machine has.</summary>
public sealed class PlotExportTests : IDisposable
{
    private readonly string _root = Directory.CreateTempSubdirectory("rlreg-plotexport").FullName;

    public void Dispose() => Directory.Delete(_root, recursive: true);

    private static PlotModel Model()
    {
        var model = new PlotModel { Title = "ε-greedy — return", Background = OxyColors.White };
        model.Axes.Add(new LinearAxis { Position = AxisPosition.Bottom, Title = "episodes" });
        model.Axes.Add(new LinearAxis { Position = AxisPosition.Left, Title = "return" });
        var line = new LineSeries { Title = "rn" };
        line.Points.AddRange([new DataPoint(0, 1), new DataPoint(1, 3), new DataPoint(2, 2)]);
        model.Series.Add(line);
        return model;
    }

    [Fact]
    public void TextIsMeasuredWithTheEmbeddedFontNotTheMachines()
    {
        using var bitmap = new SKBitmap(10, 10);
        using var canvas = new SKCanvas(bitmap);
        using var context = new SkiaRenderContext { SkCanvas = canvas, UseTextShaping = false };
        ShippedFont.Install(context);
        using SKData regular = SKData.CreateCopy(ShippedFont.FileFor(400));
        using SKData bold = SKData.CreateCopy(ShippedFont.FileFor(700));
        foreach ((double weight, SKData data) in new[] { (400.0, regular), (700.0, bold) })
        {
            using SKTypeface typeface = SKTypeface.FromData(data);
            Assert.Equal("Liberation Sans", typeface.FamilyName);
            using var paint = new SKPaint { Typeface = typeface, TextSize = 20 };
            OxySize measured = context.MeasureText("Regularity 0.95", ShippedFont.Family, 20, weight);
            Assert.Equal(paint.MeasureText("Regularity 0.95"), measured.Width, 3);
        }
        // Bold is wider than regular: the weights really are two files.
        Assert.True(context.MeasureText("Regularity", ShippedFont.Family, 20, 700).Width > context.MeasureText("Regularity", ShippedFont.Family, 20, 400).Width);
    }

    [Fact]
    public void EachFormatIsWrittenAtTheAskedSizeWithTheFontInside()
    {
        var size = new FigureSize(640, 360, 11);
        string png = Path.Combine(_root, "f.png"), pdf = Path.Combine(_root, "f.pdf"), svg = Path.Combine(_root, "f.svg");
        PlotExport.Save(Model(), png, size);
        PlotExport.Save(Model(), pdf, size);
        PlotExport.Save(Model(), svg, size);

        using (SKBitmap image = SKBitmap.Decode(png))
        {
            Assert.Equal((640, 360), (image.Width, image.Height));
            // The title is drawn: its band holds dark pixels on the white background.
            bool dark = false;
            for (int x = 0; x < image.Width && !dark; x++)
                for (int y = 0; y < 30 && !dark; y++) dark = image.GetPixel(x, y).Red < 100;
            Assert.True(dark);
        }

        string pdfText = Encoding.Latin1.GetString(File.ReadAllBytes(pdf));
        Assert.StartsWith("%PDF-", pdfText);
        Assert.Matches(@"/MediaBox \[0 0 480 270\]", pdfText); // 640 × 360 pixels at 96 dpi are 480 × 270 points
        Assert.Contains("LiberationSans", pdfText);              // the font is embedded, not named

        string svgText = File.ReadAllText(svg);
        Assert.Contains("width=\"640\" height=\"360\"", svgText);
        Assert.Contains("font-family=\"Liberation Sans\"", svgText);
        Assert.Contains("font-size=\"11\"", svgText);
        MatchCollection faces = Regex.Matches(svgText, @"@font-face\{font-family:'Liberation Sans';font-weight:(\w+);src:url\(data:font/ttf;base64,([A-Za-z0-9+/=]+)\)");
        Assert.Equal(["normal", "bold"], faces.Select(m => m.Groups[1].Value));
        Assert.Equal(ShippedFont.FileFor(400), Convert.FromBase64String(faces[0].Groups[2].Value));
        Assert.Equal(ShippedFont.FileFor(700), Convert.FromBase64String(faces[1].Groups[2].Value));
        Assert.Matches(@">\s*episodes\s*</text>", svgText);
    }

    [Theory]
    [InlineData("f.jpg", 1200, 700, 14, ".png, .pdf, .svg")]
    [InlineData("f.png", 50, 700, 14, "--width")]
    [InlineData("f.png", 1200, 700, 0.5, "--font-size")]
    public void BadRequestsAreNamed(string file, int width, int height, double font, string expected)
    {
        var e = Assert.Throws<ArgumentException>(() => PlotExport.Save(Model(), Path.Combine(_root, file), new FigureSize(width, height, font)));
        Assert.Contains(expected, e.Message);
        Assert.False(File.Exists(Path.Combine(_root, file)));
    }
}
