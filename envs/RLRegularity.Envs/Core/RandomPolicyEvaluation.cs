namespace RLRegularity.Envs.Core;

/// <summary>Summary statistics of a batch of episodes (population standard deviations, as numpy's default).</summary>
/// <param name="Episodes">Number of episodes.</param>
/// <param name="MeanReturn">Mean undiscounted return.</param>
/// <param name="StdReturn">Standard deviation of the return.</param>
/// <param name="MeanLength">Mean episode length in steps.</param>
/// <param name="StdLength">Standard deviation of the length.</param>
/// <param name="SuccessRate">Fraction of episodes with a positive return.</param>
public sealed record EpisodeBatchSummary(int Episodes, double MeanReturn, double StdReturn, double MeanLength, double StdLength, double SuccessRate)
{
    /// <summary>Summarizes parallel lists of returns and lengths.</summary>
    public static EpisodeBatchSummary From(IReadOnlyList<double> returns, IReadOnlyList<int> lengths)
    {
        if (returns.Count == 0 || returns.Count != lengths.Count) throw new ArgumentException("need the same positive number of returns and lengths");
        double meanR = returns.Average(), meanL = lengths.Average();
        double varR = returns.Sum(r => (r - meanR) * (r - meanR)) / returns.Count;
        double varL = lengths.Sum(l => (l - meanL) * (l - meanL)) / lengths.Count;
        double success = returns.Count(r => r > 0) / (double)returns.Count;
        return new EpisodeBatchSummary(returns.Count, meanR, Math.Sqrt(varR), meanL, Math.Sqrt(varL), success);
    }
}

/// <summary>How the random policy's action generator is seeded relative to the environment's.</summary>
public enum ActionSeeding
{
    /// <summary>
    /// Gymnasium's idiom <c>env.reset(seed=s); env.action_space.seed(s)</c>: the action generator is a copy of the
    /// environment's, so the first actions are functions of the same bits as the initial state. This correlation is
    /// real in Gymnasium too (on CartPole it lengthens random episodes from about 22.1 to 22.9 steps); use it to
    /// compare with numbers measured that way.
    /// </summary>
    SameAsEnvironment,

    /// <summary>Actions from an independent child stream of the seed: the uncorrelated uniform random policy.</summary>
    Independent,
}

/// <summary>Runs episodes of the uniform random policy, the baseline every environment is checked against.</summary>
public static class RandomPolicyEvaluation
{
    /// <summary>
    /// Runs <paramref name="episodes"/> episodes; episode i resets the environment with seed <paramref name="seed"/> + i
    /// and seeds the action generator from the same number as <paramref name="seeding"/> says, so every episode is
    /// reproducible on its own.
    /// </summary>
    public static EpisodeBatchSummary Run(IEnv env, int episodes, long seed, ActionSeeding seeding = ActionSeeding.SameAsEnvironment)
    {
        if (episodes <= 0) throw new ArgumentOutOfRangeException(nameof(episodes), episodes, "must be positive");
        var returns = new double[episodes];
        var lengths = new int[episodes];
        for (int i = 0; i < episodes; i++)
        {
            long episodeSeed = seed + i;
            env.Reset(episodeSeed);
            var actions = seeding == ActionSeeding.SameAsEnvironment ? new Rng(episodeSeed) : new Rng(episodeSeed, RngStreams.RandomActions);
            double total = 0;
            int length = 0;
            while (true)
            {
                StepResult r = env.Step(env.ActionSpace.Sample(actions));
                total += r.Reward;
                length++;
                if (r.Terminated || r.Truncated) break;
            }
            returns[i] = total;
            lengths[i] = length;
        }
        return EpisodeBatchSummary.From(returns, lengths);
    }
}
