namespace RLRegularity.Envs.Core;

/// <summary>
/// A reinforcement-learning environment with Gymnasium's shape: <see cref="Reset"/> with an optional seed, and
/// <see cref="Step"/> returning observation, reward, terminated, truncated and info. Actions are discrete.
/// </summary>
/// <remarks>
/// The observation returned by <see cref="Reset"/> and <see cref="Step"/> is a buffer owned by the environment and
/// overwritten by the next call: copy it if it must outlive the step. This keeps the hot path allocation-free.
/// </remarks>
public interface IEnv : IDisposable
{
    /// <summary>The registry entry this environment was made from, if any.</summary>
    EnvSpec? Spec { get; set; }

    /// <summary>The space of observations (flat float buffers of its <see cref="Space.FlatSize"/>).</summary>
    Space ObservationSpace { get; }

    /// <summary>The space of actions.</summary>
    DiscreteSpace ActionSpace { get; }

    /// <summary>The innermost environment, below every wrapper.</summary>
    IEnv Unwrapped { get; }

    /// <summary>
    /// Starts a new episode. With a seed, the environment's generator is re-created from it, so the same seed
    /// always gives the same episode; without one, the generator continues (and is seeded from OS entropy on the
    /// very first reset). <paramref name="options"/> carries environment-specific settings (e.g. reset bounds).
    /// </summary>
    ResetResult Reset(long? seed = null, IReadOnlyDictionary<string, object>? options = null);

    /// <summary>Advances one step with <paramref name="action"/>, which must belong to <see cref="ActionSpace"/>.</summary>
    StepResult Step(int action);
}

/// <summary>What <see cref="IEnv.Reset"/> returns: the first observation (env-owned buffer) and the info.</summary>
public readonly record struct ResetResult(float[] Observation, EnvInfo Info);

/// <summary>What <see cref="IEnv.Step"/> returns, as Gymnasium's five-tuple.</summary>
/// <param name="Observation">The next observation (an environment-owned buffer, overwritten by the next call).</param>
/// <param name="Reward">The reward of this transition.</param>
/// <param name="Terminated">The episode reached a terminal state of the MDP (no bootstrapping past it).</param>
/// <param name="Truncated">The episode was cut for a reason outside the MDP, e.g. a time limit.</param>
/// <param name="Info">Auxiliary information (environment-owned, reused).</param>
public readonly record struct StepResult(float[] Observation, double Reward, bool Terminated, bool Truncated, EnvInfo Info)
{
    /// <summary>True when the episode ended, by termination or truncation.</summary>
    public bool Done => Terminated || Truncated;
}
