namespace RLRegularity.Normalization;

/// <summary>Which mode an RN-family layer runs in: the module's training flag, or an explicit override (SPEC §2.9, §6.3).</summary>
public enum RegularityMode
{
    /// <summary>Training mode when the module is training, eval mode otherwise.</summary>
    FollowModule,
    /// <summary>Always training mode: statistics and COMP update (e.g. DQN acting, SPEC §6.1).</summary>
    Train,
    /// <summary>Always eval mode: stored statistics, COMP frozen (e.g. PPO rollouts, SPEC §6.3).</summary>
    Eval,
}
