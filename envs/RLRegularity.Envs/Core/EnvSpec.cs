namespace RLRegularity.Envs.Core;

/// <summary>A registry entry: how to build an environment and the settings that come with its id.</summary>
/// <param name="Id">The id, e.g. CartPole-v1.</param>
/// <param name="Factory">Builds a fresh, unwrapped environment.</param>
/// <param name="MaxEpisodeSteps">The time limit applied by <see cref="EnvRegistry.Make"/>, or null for none.</param>
/// <param name="RewardThreshold">The mean return at which the task counts as solved, if the task defines one.</param>
/// <param name="Description">One line on what the environment is.</param>
public sealed record EnvSpec(string Id, Func<IEnv> Factory, int? MaxEpisodeSteps, double? RewardThreshold, string Description)
{
    /// <summary>For non-stationary tasks: what changes (e.g. "parameter length") and its schedule; null for stationary ones.</summary>
    public NonStationary.TaskChange? Change { get; init; }

    /// <summary>The first change of a non-stationary task that a run of <paramref name="steps"/> steps reaches (after its
    /// start); null for stationary tasks and runs that end before it.</summary>
    public long? FirstChangeWithin(long steps) => Change?.Schedule.FirstChange is long c && c > 0 && c <= steps ? c : null;
}
