namespace RLRegularity.Agents.Ppo;

/// <summary>
/// One PPO update's metrics (a row of updates.csv), averaged over the update's minibatches where they are per minibatch.
/// <see cref="Columns"/> and <see cref="ToValues"/> list the same fields in the same order, side by side, so names and
/// values cannot drift apart.
/// </summary>
/// <param name="PolicyLoss">Clipped surrogate loss.</param>
/// <param name="ValueLoss">Value loss (clipped when configured).</param>
/// <param name="Entropy">Mean policy entropy, nats.</param>
/// <param name="ApproxKl">Approximate KL between the rollout policy and the updated one (CleanRL's (r − 1) − log r).</param>
/// <param name="ClipFraction">Fraction of ratios outside [1 − ε, 1 + ε].</param>
/// <param name="ExplainedVariance">1 − Var(R − V) / Var(R) over the rollout.</param>
/// <param name="GradNorm">Global gradient norm before clipping.</param>
/// <param name="LearningRate">Adam's learning rate in this update.</param>
/// <param name="PriorNegLogMean">Mean −log s of the reward prior (rnr), NaN otherwise.</param>
/// <param name="StepsPerSecond">Environment steps per wall second since <c>LearnUntil</c> was called.</param>
public sealed record PpoUpdateMetrics(double PolicyLoss, double ValueLoss, double Entropy, double ApproxKl, double ClipFraction,
    double ExplainedVariance, double GradNorm, double LearningRate, double PriorNegLogMean, double StepsPerSecond)
{
    /// <summary>The column names, in the order of <see cref="ToValues"/>.</summary>
    public static IReadOnlyList<string> Columns { get; } =
        ["policy_loss", "value_loss", "entropy", "approx_kl", "clip_fraction", "explained_variance", "grad_norm", "learning_rate", "prior_neg_log_mean", "sps"];

    /// <summary>The values, in the order of <see cref="Columns"/>.</summary>
    public double[] ToValues() =>
        [PolicyLoss, ValueLoss, Entropy, ApproxKl, ClipFraction, ExplainedVariance, GradNorm, LearningRate, PriorNegLogMean, StepsPerSecond];
}

/// <summary>Running sums of one update's minibatch metrics, in minibatch order, averaged into its <see cref="PpoUpdateMetrics"/>.</summary>
internal struct PpoUpdateSums
{
    public double PolicyLoss, ValueLoss, Entropy, ApproxKl, ClipFraction, GradNorm, PriorNegLog;
    public int Minibatches, PriorCount;

    /// <summary>Adds one minibatch's losses and its gradient norm before clipping.</summary>
    public void Add(PpoLossValues loss, double gradNorm)
    {
        PolicyLoss += loss.PolicyLoss;
        ValueLoss += loss.ValueLoss;
        Entropy += loss.Entropy;
        ApproxKl += loss.ApproxKl;
        ClipFraction += loss.ClipFraction;
        GradNorm += gradNorm;
        Minibatches++;
    }

    /// <summary>The update's row: per-minibatch means, the rollout's explained variance, and the prior's mean −log s (NaN without one).</summary>
    public readonly PpoUpdateMetrics Average(double explainedVariance, double learningRate)
    {
        double n = Math.Max(1, Minibatches);
        return new PpoUpdateMetrics(PolicyLoss / n, ValueLoss / n, Entropy / n, ApproxKl / n, ClipFraction / n, explainedVariance,
            GradNorm / n, learningRate, PriorCount > 0 ? PriorNegLog / PriorCount : double.NaN, StepsPerSecond: 0);
    }
}
