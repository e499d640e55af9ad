namespace RLRegularity.Agents.Policies;

/// <summary>
/// What the online Q-network's forwards are for; fixes its training flag and RN's state traffic (SPEC 6.1/6.3). The
/// target network has no mode: it always runs in training mode on its own RN state, under no-grad.
/// </summary>
public enum QNetworkMode
{
    /// <summary>ε-greedy acting during training: eval mode (batch norm uses running statistics), RN updates its state
    /// when <see cref="Dqn.DqnConfig.UpdateRnOnAct"/>, else only reads it.</summary>
    Acting,
    /// <summary>Forwards that must not disturb training: the double-DQN argmax pass and evaluation episodes. Eval mode, RN reads its state.</summary>
    Evaluation,
    /// <summary>The forward the loss differentiates: training mode, RN updates its state.</summary>
    Learning,
}
