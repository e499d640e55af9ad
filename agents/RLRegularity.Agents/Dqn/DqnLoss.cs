using TensorPrimitives = System.Numerics.Tensors.TensorPrimitives;

namespace RLRegularity.Agents.Dqn;

/// <summary>
/// DQN's TD target and regression loss computed on the host from the networks' Q-values, with the loss's gradient with
/// respect to the online Q-values, so autograd runs through the online network only.
/// </summary>
/// <remarks>
/// Why: written as libtorch operations (max or gather, the target arithmetic, gather, the loss, the metrics) the head is
/// a dozen small calls forward and several autograd nodes backward, which at batch 128 cost as much as the network.
/// The loss's subgradients are PyTorch's (<c>smooth_l1_loss</c> with β = 1 is quadratic strictly inside |d| &lt; 1).
/// A test checks the values and gradients against autograd of the tensor formula.
/// </remarks>
public static class DqnLoss
{
    /// <summary>
    /// y_i = r_i + γ · nextValue_i · (1 − terminated_i), where nextValue is max_a Q_target(s', a) or, for Double DQN
    /// (<paramref name="onlineNextQ"/> given), Q_target(s', argmax_a Q_online(s', a)). Q rows are [samples, actionCount].
    /// </summary>
    public static void TdTargets(ReadOnlySpan<double> targetNextQ, ReadOnlySpan<double> onlineNextQ, int actionCount,
        ReadOnlySpan<float> rewards, ReadOnlySpan<float> terminated, double gamma, Span<double> targets)
    {
        int m = rewards.Length;
        if (targetNextQ.Length != m * actionCount) throw new ArgumentException($"expected {m} × {actionCount} target Q-values", nameof(targetNextQ));
        if (!onlineNextQ.IsEmpty && onlineNextQ.Length != m * actionCount) throw new ArgumentException($"expected {m} × {actionCount} online Q-values", nameof(onlineNextQ));
        if (terminated.Length != m || targets.Length != m) throw new ArgumentException($"every per-sample span must hold {m} values");
        for (int i = 0; i < m; i++)
        {
            ReadOnlySpan<double> next = targetNextQ.Slice(i * actionCount, actionCount);
            // TensorPrimitives' Max and IndexOfMax treat NaN as torch's max and argmax do (it wins; the first of ties).
            double nextValue = onlineNextQ.IsEmpty ? TensorPrimitives.Max(next) : next[TensorPrimitives.IndexOfMax(onlineNextQ.Slice(i * actionCount, actionCount))];
            targets[i] = rewards[i] + gamma * nextValue * (1 - terminated[i]);
        }
    }

    /// <summary>
    /// The mean loss between Q(s_i, a_i) and y_i (MSE, or Huber with β = 1) and its gradient w.r.t. every Q-value
    /// (zero off the taken actions), written into <paramref name="qGradients"/>. Returns the loss and the mean of the
    /// taken actions' Q-values.
    /// </summary>
    public static (double Loss, double MeanQ) Compute(TdLoss loss, ReadOnlySpan<double> q, int actionCount, ReadOnlySpan<long> actions,
        ReadOnlySpan<double> targets, Span<double> qGradients)
    {
        int m = actions.Length;
        if (m == 0) throw new ArgumentException("the batch is empty", nameof(actions));
        if (q.Length != m * actionCount || qGradients.Length != m * actionCount) throw new ArgumentException($"Q-values and their gradients must hold {m} × {actionCount} values");
        if (targets.Length != m) throw new ArgumentException($"expected {m} targets", nameof(targets));
        qGradients.Clear();
        double sum = 0, qSum = 0;
        for (int i = 0; i < m; i++)
        {
            int action = checked((int)actions[i]);
            if ((uint)action >= (uint)actionCount) throw new ArgumentOutOfRangeException(nameof(actions), action, $"actions must be in [0, {actionCount})");
            double chosen = q[i * actionCount + action];
            qSum += chosen;
            double d = chosen - targets[i];
            double gradient;
            if (loss == TdLoss.Mse)
            {
                sum += d * d;
                gradient = 2 * d;
            }
            else if (Math.Abs(d) < 1)
            {
                sum += 0.5 * d * d;
                gradient = d;
            }
            else
            {
                sum += Math.Abs(d) - 0.5;
                gradient = Math.Sign(d);
            }
            qGradients[i * actionCount + action] = gradient / m;
        }
        return (sum / m, qSum / m);
    }
}
