using System.Collections;
using System.Reflection;
using OxyPlot.SkiaSharp;
using SkiaSharp;

namespace RLRegularity.Plotting;

/// <summary>
/// Liberation Sans (SIL OFL 1.1, see Fonts/OFL.txt), embedded in this assembly so that every figure is set in the same
/// font on every machine, whatever fonts the machine has. Liberation Sans has Arial's metrics.
/// </summary>
public static class ShippedFont
{
    /// <summary>The family name that plot models use for all their text.</summary>
    public const string Family = "Liberation Sans";

    private static readonly Lazy<byte[]> Regular = new(() => Resource("LiberationSans-Regular.ttf"));
    private static readonly Lazy<byte[]> Bold = new(() => Resource("LiberationSans-Bold.ttf"));

    /// <summary>The font file of a weight: bold from 600 up (OxyPlot draws titles at 700), regular below.</summary>
    public static byte[] FileFor(double weight) => weight >= 600 ? Bold.Value : Regular.Value;

    /// <summary>
    /// Makes <paramref name="context"/> draw <see cref="Family"/> at every weight with the embedded files. OxyPlot.SkiaSharp
    /// 2.2 asks SkiaSharp's font manager for a family by name, which finds only the machine's fonts (and, in the
    /// fontconfig-free native build we ship, whatever it finds first), and it has no public way to hand it a typeface;
    /// so its private typeface cache is filled before anything is drawn. If a later OxyPlot.SkiaSharp renames that cache,
    /// this fails loudly instead of silently drawing another font.
    /// </summary>
    public static void Install(SkiaRenderContext context)
    {
        FieldInfo cacheField = typeof(SkiaRenderContext).GetField("typefaceCache", BindingFlags.Instance | BindingFlags.NonPublic)
            ?? throw new InvalidOperationException("OxyPlot.SkiaSharp has no typefaceCache field: the shipped font cannot be installed (this build expects OxyPlot.SkiaSharp 2.2.0)");
        var cache = (IDictionary)cacheField.GetValue(context)!;
        Type descriptor = typeof(SkiaRenderContext).GetNestedType("FontDescriptor", BindingFlags.NonPublic)
            ?? throw new InvalidOperationException("OxyPlot.SkiaSharp has no FontDescriptor type: the shipped font cannot be installed (this build expects OxyPlot.SkiaSharp 2.2.0)");
        // The context disposes the typefaces in its cache, so each context gets its own.
        for (int weight = 100; weight <= 900; weight += 100)
        {
            object key = Activator.CreateInstance(descriptor, Family, (double)weight)!;
            using SKData data = SKData.CreateCopy(FileFor(weight));
            cache[key] = SKTypeface.FromData(data) ?? throw new InvalidOperationException($"SkiaSharp could not load the embedded {Family} (weight {weight})");
        }
    }

    private static byte[] Resource(string file)
    {
        using Stream stream = typeof(ShippedFont).Assembly.GetManifestResourceStream($"RLRegularity.Plotting.Fonts.{file}")
            ?? throw new InvalidOperationException($"the embedded font {file} is missing from {typeof(ShippedFont).Assembly.GetName().Name}");
        using var copy = new MemoryStream();
        stream.CopyTo(copy);
        return copy.ToArray();
    }
}
