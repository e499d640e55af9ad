using RLRegularity.Agents.Buffers;
using RLRegularity.Envs.Core;
using RLRegularity.Normalization;

namespace RLRegularity.Agents.Tests.Buffers;

/// <summary>The PPO rollout storage: its [step, env] layout, GAE(λ) against hand-computed values, and minibatch gathering.</summary>
public sealed class RolloutBufferTests
{
    // Two copies, three steps, γ = λ = ½. Copy 0's episode ends at step 1 (so observation 2 starts a new one) and runs on
    // past the rollout; copy 1's ends at the last step, so its bootstrap value must be ignored.
    private static RolloutBuffer TwoCopies()
    {
        var buffer = new RolloutBuffer(numSteps: 3, numEnvs: 2, observationSize: 1);
        float[][] values = [[0.5f, 0f], [1f, 0f], [1.5f, 0f]];
        double[][] rewards = [[1, 0], [2, 0], [3, 1]];
        bool[][] dones = [[false, false], [true, false], [false, true]];
        for (int t = 0; t < 3; t++)
        {
            buffer.StartStep(t, [10 * t, 10 * t + 1]);
            values[t].CopyTo(buffer.StepValues(t));
            for (int e = 0; e < 2; e++)
            {
                buffer.AddAction(t, e, action: t + e, logProb: -t - e);
                buffer.AddReward(t, e, rawReward: rewards[t][e], reward: rewards[t][e], done: dones[t][e]);
            }
        }
        return buffer;
    }

    [Fact]
    public void GaeMatchesHandComputedValues()
    {
        RolloutBuffer buffer = TwoCopies();
        buffer.ComputeReturnsAndAdvantages([2f, 10f], gamma: 0.5, gaeLambda: 0.5);

        // Copy 0: δ₂ = 3 + ½·2 − 1.5 = 2.5, A₂ = 2.5; observation 2 starts an episode, so δ₁ = 2 − 1 = 1, A₁ = 1;
        // δ₀ = 1 + ½·1 − ½ = 1, A₀ = 1 + ¼·1 = 1.25. Returns A + V: 1.75, 2, 4.
        // Copy 1: next_done cuts the bootstrap value 10: δ₂ = 1, A₂ = 1; A₁ = 0 + ¼·1 = 0.25; A₀ = ¼·0.25 = 0.0625.
        Assert.Equal([1.25f, 0.0625f, 1f, 0.25f, 2.5f, 1f], buffer.Advantages);
        Assert.Equal([1.75f, 0.0625f, 2f, 0.25f, 4f, 1f], buffer.Returns);
    }

    [Fact]
    public void DonesMarkObservationsThatStartAnEpisodeAndCarryOverToTheNextRollout()
    {
        RolloutBuffer buffer = TwoCopies();
        Assert.Equal([false, false, false, false, true, false], buffer.Dones);
        Assert.Equal([false, true], buffer.NextDone);
        buffer.StartStep(0, [7f, 8f]);
        Assert.Equal([false, true], buffer.Dones[..2]);
        Assert.Equal([7f, 8f], buffer.Observations[..2]);
    }

    [Fact]
    public void GatherReadsTheCurrentOrderAndThePriorSource()
    {
        RolloutBuffer buffer = TwoCopies();
        buffer.ComputeReturnsAndAdvantages([2f, 10f], gamma: 0.5, gaeLambda: 0.5);
        var minibatch = new RolloutMinibatch(size: 3, observationSize: 1);

        buffer.ResetOrder();
        buffer.Gather(1, minibatch, RewardPriorSource.Reward);
        Assert.Equal([11f, 20f, 21f], minibatch.Observations);
        Assert.Equal([2L, 2L, 3L], minibatch.Actions);
        Assert.Equal([-2f, -2f, -3f], minibatch.LogProbs);
        Assert.Equal([0.25f, 2.5f, 1f], minibatch.Advantages);
        Assert.Equal([0.25f, 4f, 1f], minibatch.Returns);
        Assert.Equal([0f, 1.5f, 0f], minibatch.Values);
        Assert.Equal([0.0, 3.0, 1.0], minibatch.PriorSource);
        buffer.Gather(1, minibatch, RewardPriorSource.Return);
        Assert.Equal([0.25, 4.0, 1.0], minibatch.PriorSource);

        // Shuffling permutes the order exactly as the generator shuffles 0 … 5, and a second epoch shuffles that order again.
        int[] expected = [0, 1, 2, 3, 4, 5];
        var reference = new Rng(5, RngStreams.Learner);
        reference.Shuffle(expected.AsSpan());
        reference.Shuffle(expected.AsSpan());
        var rng = new Rng(5, RngStreams.Learner);
        buffer.Shuffle(rng);
        buffer.Shuffle(rng);
        var whole = new RolloutMinibatch(size: 6, observationSize: 1);
        buffer.Gather(0, whole, RewardPriorSource.Reward);
        Assert.Equal(expected.Select(i => buffer.Observations[i]), whole.Observations);
        Assert.Throws<ArgumentOutOfRangeException>(() => buffer.Gather(2, minibatch, RewardPriorSource.Reward));
    }

    [Fact]
    public void ExplainedVarianceIsOneForPerfectValuesAndNaNForConstantReturns()
    {
        RolloutBuffer buffer = TwoCopies();
        buffer.ComputeReturnsAndAdvantages([2f, 10f], gamma: 0.5, gaeLambda: 0.5);
        buffer.Values.AsSpan().Clear();
        buffer.Returns.CopyTo(buffer.Values, 0);
        Assert.Equal(1.0, buffer.ExplainedVariance());
        Array.Fill(buffer.Returns, 3f);
        Assert.True(double.IsNaN(buffer.ExplainedVariance()));
    }

    [Fact]
    public void StateRoundTripsNextDoneAndRefusesAnotherCopyCount()
    {
        RolloutBuffer buffer = TwoCopies();
        using var stream = new MemoryStream();
        using (var writer = new BinaryWriter(stream, System.Text.Encoding.UTF8, leaveOpen: true)) buffer.WriteState(writer);

        var restored = new RolloutBuffer(numSteps: 3, numEnvs: 2, observationSize: 1);
        stream.Position = 0;
        using (var reader = new BinaryReader(stream, System.Text.Encoding.UTF8, leaveOpen: true)) restored.ReadState(reader);
        Assert.Equal([false, true], restored.NextDone);

        stream.Position = 0;
        using var other = new BinaryReader(stream);
        Assert.Throws<InvalidDataException>(() => new RolloutBuffer(numSteps: 3, numEnvs: 3, observationSize: 1).ReadState(other));
    }
}
