namespace RLRegularity.Normalization;

/// <summary>How the reward prior groups rewards into classes (SPEC §5.3).</summary>
public enum RewardPriorBinning
{
    /// <summary>By sign: −1, 0, +1 (exact zero is its own class).</summary>
    Sign,
    /// <summary>By exact value (for discrete reward sets).</summary>
    Exact,
}

/// <summary>What the prior's classes are computed from (SPEC §5.3).</summary>
public enum RewardPriorSource
{
    /// <summary>The raw environment reward of the transition.</summary>
    Reward,
    /// <summary>The return (PPO: GAE return).</summary>
    Return,
    /// <summary>The GAE advantage.</summary>
    Advantage,
}

/// <summary>Which PPO networks receive the reward prior (SPEC §5.3: the critic by default).</summary>
public enum RewardPriorTarget
{
    /// <summary>Critic RN layers only.</summary>
    Critic,
    /// <summary>Actor RN layers only.</summary>
    Actor,
    /// <summary>Both networks.</summary>
    Both,
}

/// <summary>The reward prior: s_b = the share of the minibatch whose reward falls in the same class as sample b (SPEC §5.3).</summary>
public static class RewardPrior
{
    /// <summary>Computes s_b ∈ [1/B, 1] from integer counts; a non-finite reward is an error naming its index.</summary>
    public static double[] FromRewards(ReadOnlySpan<double> rewards, RewardPriorBinning binning = RewardPriorBinning.Sign)
    {
        if (rewards.IsEmpty) throw new ArgumentException("the reward prior needs at least one reward", nameof(rewards));
        var classes = new double[rewards.Length];
        for (int i = 0; i < rewards.Length; i++)
        {
            if (!double.IsFinite(rewards[i])) throw new ArgumentException($"reward {i} is not finite ({rewards[i]})", nameof(rewards));
            classes[i] = binning == RewardPriorBinning.Sign ? Math.Sign(rewards[i]) : rewards[i];
        }
        var counts = new Dictionary<double, int>();
        foreach (double c in classes) counts[c] = counts.GetValueOrDefault(c) + 1;
        var prior = new double[classes.Length];
        for (int i = 0; i < classes.Length; i++) prior[i] = counts[classes[i]] / (double)classes.Length;
        return prior;
    }
}
