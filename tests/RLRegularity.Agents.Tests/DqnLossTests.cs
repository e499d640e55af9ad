using RLRegularity.Agents.Dqn;
using TorchSharp;
using static TorchSharp.torch;

namespace RLRegularity.Agents.Tests;

/// <summary>The host-side DQN head: TD targets by hand, and loss and gradients equal to autograd of the tensor formula.</summary>
public sealed class DqnLossTests
{
    public DqnLossTests() => TorchRuntime.Initialize(1);

    [Fact]
    public void TdTargetsUseTheMaxOrTheOnlineArgmaxAndStopAtTermination()
    {
        // Two samples, three actions. Target Q(s′) rows: [1, 5, 2] and [4, 0, 3]; online Q(s′) rows prefer actions 2 and 1.
        double[] targetNext = [1, 5, 2, 4, 0, 3], onlineNext = [0, 1, 9, 0, 7, 1];
        float[] rewards = [1, 2], terminated = [0, 1];
        double[] targets = new double[2];
        DqnLoss.TdTargets(targetNext, [], 3, rewards, terminated, 0.9, targets);
        Assert.Equal(1 + 0.9 * 5, targets[0], 12);
        Assert.Equal(2, targets[1], 12); // terminal: the reward alone
        DqnLoss.TdTargets(targetNext, onlineNext, 3, rewards, [0, 0], 0.9, targets);
        Assert.Equal(1 + 0.9 * 2, targets[0], 12); // Double DQN: Q_target(s′, argmax Q_online) = Q_target(s′, 2)
        Assert.Equal(2 + 0.9 * 0, targets[1], 12);
    }

    [Theory]
    [InlineData(TdLoss.Mse)]
    [InlineData(TdLoss.Huber)]
    public void MatchesAutogradOfTheTensorFormula(TdLoss kind)
    {
        const int m = 50, actions = 3;
        var random = new Random(kind == TdLoss.Mse ? 1 : 2);
        double[] q = Enumerable.Range(0, m * actions).Select(_ => random.NextDouble() * 6 - 3).ToArray();
        long[] taken = Enumerable.Range(0, m).Select(_ => (long)random.Next(actions)).ToArray();
        // Targets within ±3 of the chosen Q-values, so Huber's quadratic and linear parts are both used.
        double[] targets = Enumerable.Range(0, m).Select(i => q[i * actions + (int)taken[i]] + random.NextDouble() * 6 - 3).ToArray();
        double[] gradients = new double[m * actions];
        (double loss, double meanQ) = DqnLoss.Compute(kind, q, actions, taken, targets, gradients);

        using var scope = NewDisposeScope();
        Tensor qTensor = tensor(q, [m, actions]).requires_grad_();
        Tensor chosen = qTensor.gather(1, tensor(taken, [m, 1])).squeeze(1);
        Tensor targetTensor = tensor(targets);
        Tensor expected = kind == TdLoss.Mse ? nn.functional.mse_loss(chosen, targetTensor) : nn.functional.smooth_l1_loss(chosen, targetTensor);
        expected.backward();
        Assert.Equal(expected.ToDouble(), loss, 10);
        Assert.Equal(chosen.mean().ToDouble(), meanQ, 10);
        double[] expectedGradients = qTensor.grad!.data<double>().ToArray();
        for (int i = 0; i < gradients.Length; i++) Assert.Equal(expectedGradients[i], gradients[i], 10);
        // Huber's linear part (gradient ±1/m) was exercised, not only its quadratic part.
        if (kind == TdLoss.Huber) Assert.Contains(gradients, g => Math.Abs(Math.Abs(g) - 1.0 / m) < 1e-12);
    }

    [Fact]
    public void BadShapesAndActionsAreErrors()
    {
        double[] gradients = new double[4];
        Assert.Throws<ArgumentException>(() => DqnLoss.Compute(TdLoss.Mse, [1.0, 2, 3], 2, [0L, 1L], [0.0, 0.0], gradients));
        var error = Assert.Throws<ArgumentOutOfRangeException>(() => DqnLoss.Compute(TdLoss.Mse, [1.0, 2, 3, 4], 2, [0L, 2L], [0.0, 0.0], gradients));
        Assert.Contains("[0, 2)", error.Message);
    }
}
