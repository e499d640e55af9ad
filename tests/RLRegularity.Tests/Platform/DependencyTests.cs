using RLRegularity.Normalization;

namespace RLRegularity.Tests.Platform;

/// <summary>The normalizers need no plotting stack: the TorchSharp-side library references neither OxyPlot nor
/// SkiaSharp, nor anything above it.</summary>
public sealed class DependencyTests
{
    [Fact]
    public void TorchSideReferencesNoPlottingAndNothingAbove()
    {
        string[] references = [.. typeof(RegularityNormalization).Assembly.GetReferencedAssemblies().Select(a => a.Name!)];
        Assert.Contains("TorchSharp", references);
        Assert.DoesNotContain(references, r => r.StartsWith("OxyPlot", StringComparison.Ordinal) || r.StartsWith("SkiaSharp", StringComparison.Ordinal));
        Assert.DoesNotContain(references, r => r is "RLRegularity.Analysis" or "RLRegularity.Agents" or "rlreg");
    }
}
