namespace RLRegularity.Agents.Policies;

/// <summary>What an <see cref="ActorCritic"/>'s forwards are for; fixes the modules' training flags and RN's state traffic (SPEC 6.3).</summary>
public enum ActorCriticMode
{
    /// <summary>Rollouts, bootstrap values and acting: modules in eval mode, RN layers read their current state without updating it.</summary>
    Rollout,
    /// <summary>Update minibatches: modules in training mode, RN layers update their state.</summary>
    Update,
}
