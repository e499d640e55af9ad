namespace RLRegularity.Envs.MiniGrid;

/// <summary>Minigrid's object index (<c>OBJECT_TO_IDX</c>): the first channel of the encoded observation.</summary>
public enum ObjectType : byte
{
    /// <summary>A cell outside the visible area (also the "no object" value of <see cref="WorldObject"/>).</summary>
    Unseen = 0,
    /// <summary>An empty cell.</summary>
    Empty = 1,
    /// <summary>A wall: blocks movement and sight.</summary>
    Wall = 2,
    /// <summary>A coloured floor tile the agent can walk over.</summary>
    Floor = 3,
    /// <summary>A door: open, closed or locked.</summary>
    Door = 4,
    /// <summary>A key: opens the locked door of its colour.</summary>
    Key = 5,
    /// <summary>A ball.</summary>
    Ball = 6,
    /// <summary>A box, possibly holding another object.</summary>
    Box = 7,
    /// <summary>The goal square: reaching it ends the episode with the success reward.</summary>
    Goal = 8,
    /// <summary>Lava: stepping on it ends the episode with no reward.</summary>
    Lava = 9,
    /// <summary>The agent (only in the fully observable encoding).</summary>
    Agent = 10,
}
