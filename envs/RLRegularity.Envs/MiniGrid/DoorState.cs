namespace RLRegularity.Envs.MiniGrid;

/// <summary>A door's state, as the third channel of Minigrid's encoding.</summary>
public enum DoorState : byte
{
    /// <summary>Open: the agent walks through and sees through it.</summary>
    Open = 0,
    /// <summary>Closed: toggling opens it.</summary>
    Closed = 1,
    /// <summary>Locked: toggling opens it only while the agent carries a key of the door's colour.</summary>
    Locked = 2,
}
