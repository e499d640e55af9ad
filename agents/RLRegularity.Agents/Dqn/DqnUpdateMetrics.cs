namespace RLRegularity.Agents.Dqn;

/// <summary>
/// One DQN gradient step's metrics (a row of updates.csv). <see cref="Columns"/> and <see cref="ToValues"/> list the same
/// fields in the same order, side by side, so names and values cannot drift apart.
/// </summary>
/// <param name="Loss">TD regression loss.</param>
/// <param name="QMean">Mean Q of the actions taken in the minibatch.</param>
/// <param name="TdTargetMean">Mean TD target.</param>
/// <param name="GradNorm">Global gradient norm before clipping (NaN when not clipped).</param>
/// <param name="Epsilon">ε of the step.</param>
/// <param name="LearningRate">Adam's learning rate.</param>
/// <param name="PriorNegLogMean">Mean −log s of the reward prior (rnr), NaN otherwise.</param>
/// <param name="StepsPerSecond">Environment steps per wall second since <c>LearnUntil</c> was called.</param>
public sealed record DqnUpdateMetrics(double Loss, double QMean, double TdTargetMean, double GradNorm, double Epsilon, double LearningRate,
    double PriorNegLogMean, double StepsPerSecond)
{
    /// <summary>The column names, in the order of <see cref="ToValues"/>.</summary>
    public static IReadOnlyList<string> Columns { get; } =
        ["loss", "q_mean", "td_target_mean", "grad_norm", "epsilon", "learning_rate", "prior_neg_log_mean", "sps"];

    /// <summary>The values, in the order of <see cref="Columns"/>.</summary>
    public double[] ToValues() => [Loss, QMean, TdTargetMean, GradNorm, Epsilon, LearningRate, PriorNegLogMean, StepsPerSecond];
}
