using RLRegularity.Agents.Dqn;
using RLRegularity.Agents.Ppo;

namespace RLRegularity.Agents.Tests;

/// <summary>The typed update metrics write each field under its own column name, in the updates.csv order.</summary>
public sealed class UpdateMetricsTests
{
    [Fact]
    public void PpoFieldsLandUnderTheirColumns()
    {
        double[] values = new PpoUpdateMetrics(PolicyLoss: 1, ValueLoss: 2, Entropy: 3, ApproxKl: 4, ClipFraction: 5, ExplainedVariance: 6,
            GradNorm: 7, LearningRate: 8, PriorNegLogMean: 9, StepsPerSecond: 10).ToValues();
        Assert.Equal(PpoUpdateMetrics.Columns.Count, values.Length);
        Assert.Equal(4, values[IndexOf(PpoUpdateMetrics.Columns, "approx_kl")]);
        Assert.Equal(10, values[IndexOf(PpoUpdateMetrics.Columns, "sps")]);
        Assert.Equal(["policy_loss", "value_loss", "entropy", "approx_kl", "clip_fraction", "explained_variance", "grad_norm", "learning_rate",
            "prior_neg_log_mean", "sps"], PpoUpdateMetrics.Columns);
    }

    [Fact]
    public void DqnFieldsLandUnderTheirColumns()
    {
        double[] values = new DqnUpdateMetrics(Loss: 1, QMean: 2, TdTargetMean: 3, GradNorm: 4, Epsilon: 5, LearningRate: 6,
            PriorNegLogMean: 7, StepsPerSecond: 8).ToValues();
        Assert.Equal(DqnUpdateMetrics.Columns.Count, values.Length);
        Assert.Equal(5, values[IndexOf(DqnUpdateMetrics.Columns, "epsilon")]);
        Assert.Equal(["loss", "q_mean", "td_target_mean", "grad_norm", "epsilon", "learning_rate", "prior_neg_log_mean", "sps"], DqnUpdateMetrics.Columns);
    }

    private static int IndexOf(IReadOnlyList<string> columns, string name) => columns.ToList().IndexOf(name);
}
