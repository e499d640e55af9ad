namespace RLRegularity.Agents.Common;

/// <summary>How ε decays in ε-greedy exploration.</summary>
public enum EpsilonDecay
{
    /// <summary>Linearly from start to end over a number of environment steps (CleanRL).</summary>
    Linear,
    /// <summary>Multiplied by a rate at the end of every episode, floored at the end value (the paper's DQN).</summary>
    ExponentialPerEpisode,
}

/// <summary>The exploration rate of ε-greedy: a function of the global step or of the number of finished episodes.</summary>
public sealed class EpsilonSchedule(EpsilonDecay decay, double start, double end, long linearSteps, double rate)
{
    /// <summary>ε at <paramref name="globalStep"/> after <paramref name="episodes"/> finished episodes.</summary>
    public double Value(long globalStep, long episodes) => decay switch
    {
        EpsilonDecay.Linear => linearSteps <= 0 ? end : Math.Max(end, start + (end - start) * globalStep / (double)linearSteps),
        _ => Math.Max(end, start * Math.Pow(rate, episodes)),
    };
}
