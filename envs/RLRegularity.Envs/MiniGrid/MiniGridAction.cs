namespace RLRegularity.Envs.MiniGrid;

/// <summary>Minigrid's seven actions (<c>MiniGridEnv.Actions</c>).</summary>
public enum MiniGridAction
{
    /// <summary>Turn left (counter-clockwise).</summary>
    Left = 0,
    /// <summary>Turn right (clockwise).</summary>
    Right = 1,
    /// <summary>Move to the cell in front if it is empty or can be overlapped (open door, goal, lava, floor).</summary>
    Forward = 2,
    /// <summary>Pick up the object in front (key, ball, box) if the agent carries nothing.</summary>
    Pickup = 3,
    /// <summary>Drop the carried object in front if that cell is empty.</summary>
    Drop = 4,
    /// <summary>Toggle the object in front (open/close a door, unlock with a key, open a box).</summary>
    Toggle = 5,
    /// <summary>Declare the task done (no effect in the engine; some missions react to it).</summary>
    Done = 6,
}
