using RLRegularity.Statistics;

namespace RLRegularity.Analysis.Tests;

/// <summary>Analysing results needs no libtorch: the analysis assembly references neither TorchSharp nor the
/// TorchSharp-side library.</summary>
public sealed class DependencyTests
{
    [Fact]
    public void AnalysisReferencesNoTorch()
    {
        string[] references = [.. typeof(StratifiedBootstrap).Assembly.GetReferencedAssemblies().Select(a => a.Name!)];
        Assert.Contains("OxyPlot", references);
        Assert.DoesNotContain(references, r => r.StartsWith("TorchSharp", StringComparison.Ordinal));
        Assert.DoesNotContain("RLRegularity", references);
        Assert.DoesNotContain("RLRegularity.Agents", references);
    }
}
