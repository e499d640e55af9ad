namespace RLRegularity.Agents.Buffers;

/// <summary>
/// One minibatch gathered from a <see cref="RolloutBuffer"/> into arrays allocated once, in the forms the PPO loss reads
/// (actions as int64 for the loss, the reward prior's source as float64).
/// </summary>
public sealed class RolloutMinibatch
{
    /// <summary>Allocates room for <paramref name="size"/> transitions of <paramref name="observationSize"/>-float observations.</summary>
    public RolloutMinibatch(int size, int observationSize)
    {
        if (size <= 0) throw new ArgumentOutOfRangeException(nameof(size), size, "must be positive");
        if (observationSize <= 0) throw new ArgumentOutOfRangeException(nameof(observationSize), observationSize, "must be positive");
        Size = size;
        ObservationSize = observationSize;
        Observations = new float[size * observationSize];
        Actions = new long[size];
        LogProbs = new float[size];
        Advantages = new float[size];
        Returns = new float[size];
        Values = new float[size];
        PriorSource = new double[size];
    }

    /// <summary>Transitions per minibatch.</summary>
    public int Size { get; }

    /// <summary>Floats per observation.</summary>
    public int ObservationSize { get; }

    /// <summary>Observations, row-major [Size, ObservationSize].</summary>
    public float[] Observations { get; }

    /// <summary>Actions taken.</summary>
    public long[] Actions { get; }

    /// <summary>Log-probabilities of the actions under the rollout policy.</summary>
    public float[] LogProbs { get; }

    /// <summary>GAE advantages (standardized in place by the learner when configured).</summary>
    public float[] Advantages { get; }

    /// <summary>λ-returns (advantage + value), the value targets.</summary>
    public float[] Returns { get; }

    /// <summary>Values under the rollout critic (the value clip's centre).</summary>
    public float[] Values { get; }

    /// <summary>What the reward prior of <c>rnr</c> bins into classes: the raw reward, the return or the advantage.</summary>
    public double[] PriorSource { get; }
}
