using RLRegularity.Agents.Ppo;
using TorchSharp;
using static TorchSharp.torch;

namespace RLRegularity.Agents.Tests;

/// <summary>The host-side PPO loss: hand-derived values, and loss and gradients equal to autograd of the tensor formula.</summary>
public sealed class PpoLossTests
{
    public PpoLossTests() => TorchRuntime.Initialize(1);

    [Fact]
    public void UniformPolicyAtRatioOneGivesHandDerivedValues()
    {
        // Two actions with equal logits: p = ½, H = ln 2, r = 1 (old log prob ln ½), A = 1.
        // Policy loss −A·r = −1; d/dz₀ = −A·r·(1 − ½) = −½ and d/dz₁ = +½ (the entropy term vanishes at the uniform policy).
        // Value 1, return 3, old value 1: loss ½·(1 − 3)² = 2; gradient ValueCoef · (v − R) = 0.5 · −2 = −1.
        var settings = new PpoLossSettings(0.2, ClipValueLoss: false, EntropyCoef: 0.01, ValueCoef: 0.5);
        double[] logitGradients = new double[2], valueGradients = new double[1];
        PpoLossValues loss = PpoLoss.Compute(settings, 2, [0.0, 0.0], [1.0], [0L], [(float)Math.Log(0.5)], [1f], [3f], [1f],
            logitGradients, valueGradients);
        Assert.Equal(-1, loss.PolicyLoss, 6);
        Assert.Equal(2, loss.ValueLoss, 6);
        Assert.Equal(Math.Log(2), loss.Entropy, 12);
        Assert.Equal(-1 - 0.01 * Math.Log(2) + 0.5 * 2, loss.Loss, 6);
        Assert.Equal(0, loss.ApproxKl, 6);
        Assert.Equal(0, loss.ClipFraction);
        Assert.Equal(-0.5, logitGradients[0], 6);
        Assert.Equal(0.5, logitGradients[1], 6);
        Assert.Equal(-1, valueGradients[0], 6);
    }

    [Theory]
    [InlineData(true, 3)]
    [InlineData(false, 3)]
    [InlineData(true, 7)]
    public void MatchesAutogradOfTheTensorFormula(bool clipValueLoss, int actionCount)
    {
        const int m = 64;
        var settings = new PpoLossSettings(0.2, clipValueLoss, EntropyCoef: 0.05, ValueCoef: 0.5);
        var random = new Random(actionCount * 10 + (clipValueLoss ? 1 : 0));
        double[] logits = Enumerable.Range(0, m * actionCount).Select(_ => random.NextDouble() * 4 - 2).ToArray();
        double[] values = Enumerable.Range(0, m).Select(_ => random.NextDouble() * 2).ToArray();
        long[] actions = Enumerable.Range(0, m).Select(_ => (long)random.Next(actionCount)).ToArray();
        float[] advantages = Enumerable.Range(0, m).Select(_ => (float)(random.NextDouble() * 2 - 1)).ToArray();
        float[] returns = Enumerable.Range(0, m).Select(_ => (float)(random.NextDouble() * 2)).ToArray();
        // Old values within ±0.5 of the new ones, so the value clip (±0.2) binds for some samples and not others.
        float[] oldValues = values.Select(v => (float)(v + random.NextDouble() - 0.5)).ToArray();
        // Old log probs: the new ones shifted by up to ±0.5, so ratios fall on both sides of the [0.8, 1.2] band.
        float[] oldLogProbs = new float[m];
        for (int i = 0; i < m; i++)
        {
            var row = logits.AsSpan(i * actionCount, actionCount);
            double max = row.ToArray().Max(), lse = max + Math.Log(row.ToArray().Sum(z => Math.Exp(z - max)));
            oldLogProbs[i] = (float)(row[(int)actions[i]] - lse + random.NextDouble() - 0.5);
        }

        double[] logitGradients = new double[m * actionCount], valueGradients = new double[m];
        PpoLossValues mine = PpoLoss.Compute(settings, actionCount, logits, values, actions, oldLogProbs, advantages, returns, oldValues,
            logitGradients, valueGradients);
        Assert.InRange(mine.ClipFraction, 0.2, 0.9);

        // The formula as CleanRL writes it, in float64 tensors, differentiated by autograd.
        using var scope = NewDisposeScope();
        Tensor z = tensor(logits, [m, actionCount]).requires_grad_();
        Tensor v = tensor(values, [m]).requires_grad_();
        Tensor logProbsAll = nn.functional.log_softmax(z, 1);
        Tensor newLogProbs = logProbsAll.gather(1, tensor(actions, [m, 1])).squeeze(1);
        Tensor entropy = -(logProbsAll.exp() * logProbsAll).sum(1);
        Tensor logRatio = newLogProbs - tensor(oldLogProbs).to(ScalarType.Float64);
        Tensor ratio = logRatio.exp();
        Tensor a = tensor(advantages).to(ScalarType.Float64);
        Tensor policyLoss = max(-a * ratio, -a * ratio.clamp(0.8, 1.2)).mean();
        Tensor r = tensor(returns).to(ScalarType.Float64), old = tensor(oldValues).to(ScalarType.Float64);
        Tensor valueLoss = clipValueLoss
            ? 0.5 * max((v - r).square(), (old + (v - old).clamp(-0.2, 0.2) - r).square()).mean()
            : 0.5 * (v - r).square().mean();
        Tensor loss = policyLoss - 0.05 * entropy.mean() + 0.5 * valueLoss;
        loss.backward();

        Assert.Equal(loss.ToDouble(), mine.Loss, 6);
        Assert.Equal(policyLoss.ToDouble(), mine.PolicyLoss, 6);
        Assert.Equal(valueLoss.ToDouble(), mine.ValueLoss, 6);
        Assert.Equal(entropy.mean().ToDouble(), mine.Entropy, 10);
        Assert.Equal(((ratio - 1) - logRatio).mean().ToDouble(), mine.ApproxKl, 6);
        double[] expectedLogitGradients = z.grad!.data<double>().ToArray(), expectedValueGradients = v.grad!.data<double>().ToArray();
        for (int i = 0; i < logitGradients.Length; i++) Assert.Equal(expectedLogitGradients[i], logitGradients[i], 6);
        for (int i = 0; i < m; i++) Assert.Equal(expectedValueGradients[i], valueGradients[i], 6);
    }

    [Fact]
    public void AdvantagesAreStandardizedWithTheUnbiasedDeviation()
    {
        float[] advantages = [1, 2, 3, 4];
        PpoLoss.NormalizeAdvantages(advantages);
        double std = Math.Sqrt(5.0 / 3); // deviations ±1.5, ±0.5: squares sum to 5, over n − 1 = 3
        Assert.Equal(-1.5 / std, advantages[0], 5);
        Assert.Equal(0.5 / std, advantages[2], 5);
        float[] single = [7];
        PpoLoss.NormalizeAdvantages(single);
        Assert.Equal(0, single[0]);
    }

    [Fact]
    public void BadShapesAndActionsAreErrors()
    {
        var settings = new PpoLossSettings(0.2, true, 0.01, 0.5);
        double[] lg = new double[2], vg = new double[1];
        Assert.Throws<ArgumentException>(() => PpoLoss.Compute(settings, 2, [0.0], [1.0], [0L], [0f], [0f], [0f], [0f], lg, vg));
        var error = Assert.Throws<ArgumentOutOfRangeException>(() =>
            PpoLoss.Compute(settings, 2, [0.0, 0.0], [1.0], [2L], [0f], [0f], [0f], [0f], lg, vg));
        Assert.Contains("[0, 2)", error.Message);
    }
}
