namespace RLRegularity.Agents.Common;

/// <summary>What a run is: agent, environment, seed, length and the run-level settings (the agent's own config is separate).</summary>
/// <param name="Agent">dqn or ppo.</param>
/// <param name="Env">The environment id.</param>
/// <param name="Seed">The seed of everything (networks, exploration, environments).</param>
/// <param name="Steps">Total environment steps; with an episode budget, the most steps the run may take (and the horizon
/// of schedules tied to the total).</param>
/// <param name="Preset">The preset the config started from.</param>
/// <param name="Threads">TorchSharp intra-op threads.</param>
/// <param name="CheckpointEvery">Environment steps between periodic checkpoints.</param>
/// <param name="RegularityEvery">Updates between rows of regularity.csv.</param>
/// <param name="Episodes">An episode budget: the run ends when this many episodes have finished (null: the steps decide).
/// DQN stops right after the step that ends the last one; PPO at the end of the update whose rollout ended it (episodes
/// that end later in that rollout are recorded too).</param>
/// <param name="EvalEvery">Environment steps between evaluations of the greedy policy on a separate environment copy
/// (null: none), as Stable-Baselines3's EvalCallback; logged to evals.csv.</param>
/// <param name="EvalEpisodes">Episodes per evaluation.</param>
public sealed record RunSettings(string Agent, string Env, long Seed, long Steps, string Preset, int Threads, long CheckpointEvery, int RegularityEvery,
                                 long? Episodes = null, long? EvalEvery = null, int EvalEpisodes = 10)
{
    /// <summary>
    /// The step cap of an episode budget when no step budget is given: every episode at the environment's time limit
    /// (null when the environment has none, so the steps must be given).
    /// </summary>
    public static long? StepCapForEpisodes(string envId, long episodes) =>
        Envs.Core.EnvRegistry.Spec(envId).MaxEpisodeSteps is int limit ? checked(episodes * limit) : null;

    /// <summary>Throws an <see cref="ArgumentException"/> naming the first setting out of range (with its option).</summary>
    public void Validate()
    {
        if (Seed < 0) throw new ArgumentException($"--seed must be non-negative, got {Seed}");
        if (Steps <= 0) throw new ArgumentException($"--steps must be positive, got {Steps}");
        if (Threads <= 0) throw new ArgumentException($"--threads must be positive, got {Threads}");
        if (CheckpointEvery <= 0) throw new ArgumentException($"--checkpoint-every must be positive, got {CheckpointEvery}");
        if (RegularityEvery <= 0) throw new ArgumentException($"--regularity-every must be a positive number of updates, got {RegularityEvery}");
        if (Episodes is <= 0) throw new ArgumentException($"--episodes must be positive, got {Episodes}");
        if (EvalEvery is <= 0) throw new ArgumentException($"--eval-every must be a positive number of steps, got {EvalEvery}");
        if (EvalEpisodes <= 0) throw new ArgumentException($"--eval-episodes must be positive, got {EvalEpisodes}");
    }
}
