using System.Numerics;

namespace RLRegularity.Agents.Ppo;

/// <summary>
/// PPO's loss (CleanRL's <c>ppo.py</c>: clipped surrogate, clipped value loss, entropy bonus) computed on the host from
/// the actor's logits and the critic's values, together with its exact gradient with respect to those outputs.
/// </summary>
/// <remarks>
/// Why: written as libtorch operations the loss is some 40 small calls forward and as many autograd nodes backward,
/// which for a 128-sample minibatch of a 64-64 network costs more than the networks themselves. Here it is one pass in
/// double precision, and autograd runs only through the networks (<c>backward</c> of the outputs with these gradients).
/// Where PyTorch's subgradients have a choice they are copied: <c>maximum</c> sends half the gradient to each side of a
/// tie, and <c>clamp</c> passes it at the bounds. A test checks the gradients against autograd of the tensor formula.
/// </remarks>
public static class PpoLoss
{
    /// <summary>
    /// Loss and gradients for a minibatch of <paramref name="actions"/>.Length samples. <paramref name="logits"/> is
    /// row-major [samples, actionCount]; <paramref name="advantages"/> are used as given (normalize them first if the
    /// config asks). The gradients of the loss w.r.t. logits and values are written into the last two spans.
    /// </summary>
    public static PpoLossValues Compute(PpoLossSettings settings, int actionCount,
        ReadOnlySpan<double> logits, ReadOnlySpan<double> values, ReadOnlySpan<long> actions, ReadOnlySpan<float> oldLogProbs,
        ReadOnlySpan<float> advantages, ReadOnlySpan<float> returns, ReadOnlySpan<float> oldValues,
        Span<double> logitGradients, Span<double> valueGradients)
    {
        int m = actions.Length;
        if (m == 0) throw new ArgumentException("the minibatch is empty", nameof(actions));
        if (actionCount <= 0) throw new ArgumentOutOfRangeException(nameof(actionCount), actionCount, "there must be at least one action");
        if (logits.Length != m * actionCount || logitGradients.Length != m * actionCount)
            throw new ArgumentException($"logits and their gradients must hold {m} × {actionCount} values");
        if (values.Length != m || oldLogProbs.Length != m || advantages.Length != m || returns.Length != m || oldValues.Length != m || valueGradients.Length != m)
            throw new ArgumentException($"every per-sample span must hold {m} values");

        double c = settings.ClipCoef, low = 1 - c, high = 1 + c;
        double perSample = 1.0 / m;
        double policySum = 0, valueSum = 0, entropySum = 0, klSum = 0;
        int clipped = 0;
        Span<double> logProbs = actionCount <= 64 ? stackalloc double[actionCount] : new double[actionCount];
        for (int i = 0; i < m; i++)
        {
            LogSoftmax(logits.Slice(i * actionCount, actionCount), logProbs);
            double entropy = 0;
            foreach (double lp in logProbs) entropy -= Math.Exp(lp) * lp;
            entropySum += entropy;

            int action = checked((int)actions[i]);
            if ((uint)action >= (uint)actionCount) throw new ArgumentOutOfRangeException(nameof(actions), action, $"actions must be in [0, {actionCount})");
            double logRatio = logProbs[action] - oldLogProbs[i];
            double ratio = Math.Exp(logRatio);
            klSum += ratio - 1 - logRatio;
            if (Math.Abs(ratio - 1) > c) clipped++;

            // Clipped surrogate: max(−A·r, −A·clamp(r)); d/dr is −A from the first side and −A·[r in range] from the second.
            double a = advantages[i];
            bool ratioInRange = ratio >= low && ratio <= high;
            double unclippedObjective = -a * ratio, clippedObjective = -a * Math.Clamp(ratio, low, high);
            policySum += Math.Max(unclippedObjective, clippedObjective);
            double fromClipped = ratioInRange ? -a : 0;
            double dLossDRatio = unclippedObjective > clippedObjective ? -a
                : unclippedObjective < clippedObjective ? fromClipped
                : 0.5 * (-a + fromClipped);
            double dLossDLogProb = dLossDRatio * ratio * perSample;

            // d(new log prob)/dz_j = δ_ja − p_j; d(entropy)/dz_j = −p_j (log p_j + H); the loss carries −EntropyCoef · H.
            Span<double> g = logitGradients.Slice(i * actionCount, actionCount);
            for (int j = 0; j < actionCount; j++)
            {
                double p = Math.Exp(logProbs[j]);
                g[j] = dLossDLogProb * ((j == action ? 1 : 0) - p) + settings.EntropyCoef * perSample * p * (logProbs[j] + entropy);
            }

            double value = values[i], target = returns[i];
            double unclippedError = value - target;
            double dLossDValue;
            if (settings.ClipValueLoss)
            {
                double old = oldValues[i];
                double delta = value - old;
                bool valueInRange = delta >= -c && delta <= c;
                double clippedError = old + Math.Clamp(delta, -c, c) - target;
                double unclippedSquare = unclippedError * unclippedError, clippedSquare = clippedError * clippedError;
                valueSum += Math.Max(unclippedSquare, clippedSquare);
                double fromUnclipped = 2 * unclippedError, fromClippedValue = valueInRange ? 2 * clippedError : 0;
                dLossDValue = unclippedSquare > clippedSquare ? fromUnclipped
                    : unclippedSquare < clippedSquare ? fromClippedValue
                    : 0.5 * (fromUnclipped + fromClippedValue);
            }
            else
            {
                valueSum += unclippedError * unclippedError;
                dLossDValue = 2 * unclippedError;
            }
            valueGradients[i] = settings.ValueCoef * 0.5 * perSample * dLossDValue;
        }
        double policyLoss = policySum * perSample, valueLoss = 0.5 * valueSum * perSample, meanEntropy = entropySum * perSample;
        return new PpoLossValues(policyLoss - settings.EntropyCoef * meanEntropy + settings.ValueCoef * valueLoss,
            policyLoss, valueLoss, meanEntropy, klSum * perSample, clipped * perSample);
    }

    /// <summary>
    /// log p_j = z_j − log Σ_k exp z_k for one row of logits, shifted by the row's maximum and summed in double
    /// precision; <paramref name="logProbs"/> may be <paramref name="logits"/> itself.
    /// </summary>
    public static void LogSoftmax<T>(ReadOnlySpan<T> logits, Span<T> logProbs) where T : unmanaged, IFloatingPointIeee754<T>
    {
        if (logProbs.Length != logits.Length) throw new ArgumentException($"expected {logits.Length} log-probabilities, got room for {logProbs.Length}");
        double max = double.NegativeInfinity;
        foreach (T z in logits) max = Math.Max(max, double.CreateTruncating(z));
        double sum = 0;
        foreach (T z in logits) sum += Math.Exp(double.CreateTruncating(z) - max);
        double logNormalizer = max + Math.Log(sum);
        for (int j = 0; j < logits.Length; j++) logProbs[j] = T.CreateTruncating(double.CreateTruncating(logits[j]) - logNormalizer);
    }

    /// <summary>
    /// Standardizes <paramref name="advantages"/> in place as CleanRL: (a − mean) / (std + 1e-8) with the unbiased
    /// standard deviation (a single sample's std is NaN there as in PyTorch; here it is taken as 0).
    /// </summary>
    public static void NormalizeAdvantages(Span<float> advantages)
    {
        int n = advantages.Length;
        if (n == 0) return;
        double mean = 0;
        foreach (float a in advantages) mean += a;
        mean /= n;
        double squares = 0;
        foreach (float a in advantages) squares += (a - mean) * (a - mean);
        double std = n > 1 ? Math.Sqrt(squares / (n - 1)) : 0;
        for (int i = 0; i < n; i++) advantages[i] = (float)((advantages[i] - mean) / (std + 1e-8));
    }
}
