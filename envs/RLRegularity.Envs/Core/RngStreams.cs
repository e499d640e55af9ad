namespace RLRegularity.Envs.Core;

/// <summary>
/// The child-stream ids (<see cref="Rng(long, ulong)"/>) every component draws from, in one place, so two components
/// seeded from the same user seed never share a stream by accident. Changing a value changes every seeded run.
/// </summary>
public static class RngStreams
{
    /// <summary>Actions of the uniform random policy (the environment itself draws from the seed's root stream, not a child).</summary>
    public const ulong RandomActions = 1;

    /// <summary>A learner's own draws: ε-greedy exploration and replay sampling (DQN), action sampling and minibatch shuffles (PPO).</summary>
    public const ulong Learner = 2;

    /// <summary>The Gaussian noise of <see cref="NonStationary.ObservationDrift"/>.</summary>
    public const ulong ObservationNoise = 3;

    /// <summary>The random actions that collect the probe batch of the plasticity diagnostics, on an environment copy of its own.</summary>
    public const ulong DiagnosticsProbe = 4;

    /// <summary>A plasticity intervention's draws: the seeds of the fresh networks of snp, reset and redo.</summary>
    public const ulong Intervention = 5;
}
