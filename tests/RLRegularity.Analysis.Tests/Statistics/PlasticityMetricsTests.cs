using RLRegularity.Statistics;

namespace RLRegularity.Analysis.Tests.Statistics;

/// <summary>Each plasticity metric against values computed by hand.</summary>
public sealed class PlasticityMetricsTests
{
    [Fact]
    public void IdentitySingularValuesHaveEffectiveRankNAndSrankByThe99PercentRule()
    {
        // I_n has n singular values 1: p_k = 1/n, H = ln n, exp(H) = n.
        Assert.Equal(4, PlasticityMetrics.EffectiveRank([1, 1, 1, 1]), 12);
        Assert.Equal(100, PlasticityMetrics.EffectiveRank(Enumerable.Repeat(1.0, 100).ToArray()), 9);
        // 99% of n equal values: k ≥ 0.99 n, so all 4 of 4 (3 hold 75%) and exactly 99 of 100.
        Assert.Equal(4, PlasticityMetrics.Srank([1, 1, 1, 1]));
        Assert.Equal(99, PlasticityMetrics.Srank(Enumerable.Repeat(1.0, 100).ToArray()));
    }

    [Fact]
    public void RankOneSingularValuesHaveEffectiveRankOneAndSrankOne()
    {
        // u vᵀ has one nonzero singular value ‖u‖‖v‖.
        Assert.Equal(1, PlasticityMetrics.EffectiveRank([7.5, 0, 0]), 12);
        Assert.Equal(1, PlasticityMetrics.Srank([0, 7.5, 0]));
        Assert.Equal(0, PlasticityMetrics.EffectiveRank([0, 0]));
        Assert.Equal(0, PlasticityMetrics.Srank([0, 0]));
    }

    [Fact]
    public void WorkedExampleOfEffectiveRankAndSrank()
    {
        // σ = (3, 1): p = (0.75, 0.25), H = −0.75 ln 0.75 − 0.25 ln 0.25 = 0.562335..., exp(H) = 1.754765...
        double h = -0.75 * Math.Log(0.75) - 0.25 * Math.Log(0.25);
        Assert.Equal(Math.Exp(h), PlasticityMetrics.EffectiveRank([3, 1]), 12);
        Assert.Equal(1.7547654, PlasticityMetrics.EffectiveRank([1, 3]), 6);
        // σ = (90, 9, 1), sum 100: the top 1 hold 90%, the top 2 hold 99% (exactly the threshold): srank 2; at 99.5%, 3.
        Assert.Equal(2, PlasticityMetrics.Srank([1, 9, 90]));
        Assert.Equal(3, PlasticityMetrics.Srank([1, 9, 90], 0.995));
        Assert.Equal(1, PlasticityMetrics.Srank([1, 9, 90], 0.9));
    }

    [Fact]
    public void AZeroedUnitIsDormantAtTauZero()
    {
        // 2 rows × 4 units, unit 2 always 0. Mean |h| per unit: (1, 2, 0, 1), layer mean 1: scores (1, 2, 0, 1).
        double[] h = [1, -2, 0, 1,
                      -1, 2, 0, 1];
        double[] scores = PlasticityMetrics.UnitScores(h, rows: 2);
        Assert.Equal([1, 2, 0, 1], scores);
        Assert.Equal(0.25, PlasticityMetrics.DormantFraction(scores, 0));
        Assert.Equal(0.25, PlasticityMetrics.DormantFraction(scores, 0.025));
        Assert.Equal(0.75, PlasticityMetrics.DormantFraction(scores, 1.0)); // ≤ τ counts
    }

    [Fact]
    public void WorkedExampleOfDormantFractions()
    {
        // 1 row × 5 units: |h| = (10, 0.1, 0.5, 4.4, 0), layer mean 3: scores (3.333, 0.0333, 0.1667, 1.4667, 0).
        double[] scores = PlasticityMetrics.UnitScores([10, -0.1, 0.5, 4.4, 0], rows: 1);
        Assert.Equal(0.1 / 3, scores[1], 12);
        Assert.Equal(0.2, PlasticityMetrics.DormantFraction(scores, 0));     // only the zero
        Assert.Equal(0.2, PlasticityMetrics.DormantFraction(scores, 0.025)); // 0.0333 > 0.025
        Assert.Equal(0.4, PlasticityMetrics.DormantFraction(scores, 0.1));   // 0.0333 ≤ 0.1
        // A dead layer: every unit dormant.
        Assert.Equal(1.0, PlasticityMetrics.DormantFraction(PlasticityMetrics.UnitScores([0, 0, 0, 0], rows: 2), 0));
        Assert.Throws<ArgumentException>(() => PlasticityMetrics.UnitScores([1, 2, 3], rows: 2));
    }

    [Fact]
    public void WeightRmsAndDistanceFromInitialWeights()
    {
        // RMS of (3, −4): sqrt((9 + 16) / 2) = sqrt(12.5); distance of (1, 2) from (1, 0): sqrt(4 / 2) = sqrt 2.
        Assert.Equal(Math.Sqrt(12.5), PlasticityMetrics.Rms([3, -4]), 15);
        Assert.Equal(Math.Sqrt(2), PlasticityMetrics.RmsDistance([1, 2], [1, 0]), 15);
        Assert.Equal(0, PlasticityMetrics.RmsDistance([1, 2], [1, 2]));
        Assert.Throws<ArgumentException>(() => PlasticityMetrics.RmsDistance([1, 2], [1]));
    }
}
