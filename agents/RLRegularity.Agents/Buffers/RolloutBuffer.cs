using RLRegularity.Envs.Core;
using RLRegularity.Normalization;

namespace RLRegularity.Agents.Buffers;

/// <summary>
/// PPO's on-policy storage for one rollout of NumSteps × NumEnvs transitions, row-major [step, env] as CleanRL's
/// <c>obs</c>, <c>actions</c>, <c>logprobs</c>, <c>rewards</c>, <c>dones</c> and <c>values</c>, with SB3's
/// <c>RolloutBuffer</c> duties: GAE(λ) advantages and returns, and shuffled minibatches. Allocated once; nothing allocates per step.
/// </summary>
public sealed class RolloutBuffer
{
    private readonly int[] _indices;

    /// <summary>Allocates a rollout of <paramref name="numSteps"/> steps of <paramref name="numEnvs"/> copies with <paramref name="observationSize"/>-float observations.</summary>
    public RolloutBuffer(int numSteps, int numEnvs, int observationSize)
    {
        if (numSteps <= 0) throw new ArgumentOutOfRangeException(nameof(numSteps), numSteps, "must be positive");
        if (numEnvs <= 0) throw new ArgumentOutOfRangeException(nameof(numEnvs), numEnvs, "must be positive");
        if (observationSize <= 0) throw new ArgumentOutOfRangeException(nameof(observationSize), observationSize, "must be positive");
        NumSteps = numSteps;
        NumEnvs = numEnvs;
        ObservationSize = observationSize;
        Size = numSteps * numEnvs;
        Observations = new float[Size * observationSize];
        Actions = new int[Size];
        LogProbs = new float[Size];
        Rewards = new float[Size];
        RawRewards = new float[Size];
        Dones = new bool[Size];
        Values = new float[Size];
        Advantages = new float[Size];
        Returns = new float[Size];
        NextDone = new bool[numEnvs];
        _indices = new int[Size];
    }

    /// <summary>Steps per copy.</summary>
    public int NumSteps { get; }

    /// <summary>Environment copies.</summary>
    public int NumEnvs { get; }

    /// <summary>Floats per observation.</summary>
    public int ObservationSize { get; }

    /// <summary>Transitions per rollout (NumSteps × NumEnvs).</summary>
    public int Size { get; }

    /// <summary>Observations acted on, [step, env, feature].</summary>
    public float[] Observations { get; }

    /// <summary>Actions taken.</summary>
    public int[] Actions { get; }

    /// <summary>Log-probabilities of the actions under the rollout policy.</summary>
    public float[] LogProbs { get; }

    /// <summary>Rewards GAE reads: the environment's, plus γ·V(final observation) on truncated steps when bootstrapping.</summary>
    public float[] Rewards { get; }

    /// <summary>The environment's rewards as they came (the reward prior's default source).</summary>
    public float[] RawRewards { get; }

    /// <summary>CleanRL's <c>dones[t]</c>: observation t starts a new episode, so nothing flows back across it.</summary>
    public bool[] Dones { get; }

    /// <summary>Values of the observations under the rollout critic.</summary>
    public float[] Values { get; }

    /// <summary>GAE(λ) advantages, after <see cref="ComputeReturnsAndAdvantages"/>.</summary>
    public float[] Advantages { get; }

    /// <summary>λ-returns (advantage + value), after <see cref="ComputeReturnsAndAdvantages"/>.</summary>
    public float[] Returns { get; }

    /// <summary>CleanRL's <c>next_done</c> per copy: the observation after the last stored step starts a new episode.
    /// It carries over into the next rollout's first <see cref="Dones"/> row, so it is part of a checkpoint.</summary>
    public bool[] NextDone { get; }

    /// <summary>Starts step <paramref name="step"/>: stores the copies' current observations ([NumEnvs, ObservationSize])
    /// and, as their episode-start flags, the done flags the previous step left.</summary>
    public void StartStep(int step, ReadOnlySpan<float> observations)
    {
        int row = Row(step);
        observations[..(NumEnvs * ObservationSize)].CopyTo(Observations.AsSpan(row * ObservationSize, NumEnvs * ObservationSize));
        NextDone.CopyTo(Dones.AsSpan(row, NumEnvs));
    }

    /// <summary>The values row of step <paramref name="step"/> ([NumEnvs]), for the critic to write into.</summary>
    public Span<float> StepValues(int step) => Values.AsSpan(Row(step), NumEnvs);

    /// <summary>Stores copy <paramref name="env"/>'s action at <paramref name="step"/> and its log-probability.</summary>
    public void AddAction(int step, int env, int action, float logProb)
    {
        int i = Row(step) + env;
        Actions[i] = action;
        LogProbs[i] = logProb;
    }

    /// <summary>Stores copy <paramref name="env"/>'s reward at <paramref name="step"/> (raw and as GAE reads it) and whether its episode ended there.</summary>
    public void AddReward(int step, int env, double rawReward, double reward, bool done)
    {
        int i = Row(step) + env;
        RawRewards[i] = (float)rawReward;
        Rewards[i] = (float)reward;
        NextDone[env] = done;
    }

    /// <summary>
    /// GAE(λ) exactly as CleanRL's <c>ppo.py</c>: δ_t = r_t + γ·V(s_{t+1})·(1 − done_{t+1}) − V(s_t) and
    /// A_t = δ_t + γλ·(1 − done_{t+1})·A_{t+1}, in float64 over the stored float32 values; returns R_t = A_t + V(s_t).
    /// <paramref name="lastValues"/> are V of the observations after the last step ([NumEnvs]), cut by <see cref="NextDone"/>.
    /// </summary>
    public void ComputeReturnsAndAdvantages(ReadOnlySpan<float> lastValues, double gamma, double gaeLambda)
    {
        if (lastValues.Length != NumEnvs) throw new ArgumentException($"expected {NumEnvs} last values, got {lastValues.Length}", nameof(lastValues));
        for (int e = 0; e < NumEnvs; e++)
        {
            double lastGae = 0;
            for (int t = NumSteps - 1; t >= 0; t--)
            {
                int i = t * NumEnvs + e;
                double nextNonTerminal, nextValue;
                if (t == NumSteps - 1)
                {
                    nextNonTerminal = NextDone[e] ? 0 : 1;
                    nextValue = lastValues[e];
                }
                else
                {
                    nextNonTerminal = Dones[i + NumEnvs] ? 0 : 1;
                    nextValue = Values[i + NumEnvs];
                }
                double delta = Rewards[i] + gamma * nextValue * nextNonTerminal - Values[i];
                lastGae = delta + gamma * gaeLambda * nextNonTerminal * lastGae;
                Advantages[i] = (float)lastGae;
                Returns[i] = (float)(lastGae + Values[i]);
            }
        }
    }

    /// <summary>1 − Var(R − V) / Var(R) over the rollout (CleanRL's <c>explained_var</c>); NaN when the returns do not vary.</summary>
    public double ExplainedVariance()
    {
        double meanR = 0, meanD = 0;
        for (int i = 0; i < Size; i++) { meanR += Returns[i]; meanD += Returns[i] - Values[i]; }
        meanR /= Size;
        meanD /= Size;
        double varR = 0, varD = 0;
        for (int i = 0; i < Size; i++)
        {
            varR += (Returns[i] - meanR) * (Returns[i] - meanR);
            double d = Returns[i] - Values[i] - meanD;
            varD += d * d;
        }
        return varR == 0 ? double.NaN : 1 - varD / varR;
    }

    /// <summary>Puts the minibatch order back to 0, 1, …, Size − 1. CleanRL builds <c>b_inds</c> once per update and
    /// shuffles it in place every epoch, so an epoch's order is a shuffle of the previous epoch's, not of the identity.</summary>
    public void ResetOrder()
    {
        for (int i = 0; i < Size; i++) _indices[i] = i;
    }

    /// <summary>Shuffles the minibatch order in place with <paramref name="rng"/> (once per epoch).</summary>
    public void Shuffle(Rng rng) => rng.Shuffle(_indices.AsSpan());

    /// <summary>Fills <paramref name="into"/> with minibatch <paramref name="index"/> of the current order (transitions
    /// index·into.Size … (index + 1)·into.Size − 1 of it), taking the reward prior's source from <paramref name="priorSource"/>.</summary>
    public void Gather(int index, RolloutMinibatch into, RewardPriorSource priorSource)
    {
        ArgumentNullException.ThrowIfNull(into);
        if (into.ObservationSize != ObservationSize) throw new ArgumentException($"the minibatch holds {into.ObservationSize}-float observations, the rollout {ObservationSize}", nameof(into));
        int start = index * into.Size;
        if (index < 0 || start + into.Size > Size) throw new ArgumentOutOfRangeException(nameof(index), index, $"a rollout of {Size} has {Size / into.Size} minibatches of {into.Size}");
        for (int k = 0; k < into.Size; k++)
        {
            int i = _indices[start + k];
            Array.Copy(Observations, i * ObservationSize, into.Observations, k * ObservationSize, ObservationSize);
            into.Actions[k] = Actions[i];
            into.LogProbs[k] = LogProbs[i];
            into.Advantages[k] = Advantages[i];
            into.Returns[k] = Returns[i];
            into.Values[k] = Values[i];
            into.PriorSource[k] = priorSource switch
            {
                RewardPriorSource.Return => Returns[i],
                RewardPriorSource.Advantage => Advantages[i],
                _ => RawRewards[i],
            };
        }
    }

    /// <summary>Writes what outlives a rollout, <see cref="NextDone"/>: checkpoints are taken between updates, when the
    /// stored transitions are spent and the next rollout overwrites them.</summary>
    public void WriteState(BinaryWriter writer)
    {
        ArgumentNullException.ThrowIfNull(writer);
        writer.Write(NumEnvs);
        foreach (bool done in NextDone) writer.Write(done);
    }

    /// <summary>Restores what <see cref="WriteState"/> wrote, into a buffer of as many copies.</summary>
    public void ReadState(BinaryReader reader)
    {
        ArgumentNullException.ThrowIfNull(reader);
        int count = reader.ReadInt32();
        if (count != NumEnvs) throw new InvalidDataException($"the saved rollout has {count} environment copies, this one {NumEnvs}");
        for (int e = 0; e < NumEnvs; e++) NextDone[e] = reader.ReadBoolean();
    }

    private int Row(int step) => step * NumEnvs;
}
