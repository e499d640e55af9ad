namespace RLRegularity.Envs.MiniGrid;

/// <summary>
/// A complete MiniGrid situation: the grid, the agent's cell and direction, what it carries, the step count, the step
/// limit and the mission. Loaded from a JSON grid description or a text map, or captured from a running environment.
/// </summary>
public sealed class MiniGridLevel
{
    /// <summary>Creates a situation; the agent must stand on a cell it can overlap.</summary>
    public MiniGridLevel(Grid grid, GridPosition agentPosition, int agentDirection, string mission, int maxSteps,
        int stepCount = 0, WorldObject carrying = default, WorldObject carryingContents = default)
    {
        ArgumentNullException.ThrowIfNull(grid);
        ArgumentNullException.ThrowIfNull(mission);
        if (!grid.Contains(agentPosition.X, agentPosition.Y))
            throw new ArgumentException($"agent_pos {agentPosition} is outside the {grid.Width}x{grid.Height} grid");
        if (agentDirection is < 0 or > 3) throw new ArgumentException($"agent_dir {agentDirection} is not 0 (right), 1 (down), 2 (left) or 3 (up)");
        if (!grid.Get(agentPosition).CanOverlap)
            throw new ArgumentException($"the agent at {agentPosition} stands on a {grid.Get(agentPosition)}, which it cannot overlap");
        if (maxSteps <= 0) throw new ArgumentException($"max_steps must be positive, got {maxSteps}");
        if (stepCount < 0) throw new ArgumentException($"step_count must be non-negative, got {stepCount}");
        if (!carrying.IsNone && !carrying.CanPickup) throw new ArgumentException($"the agent cannot carry a {carrying}");
        Grid = grid;
        AgentPosition = agentPosition;
        AgentDirection = agentDirection;
        Mission = mission;
        MaxSteps = maxSteps;
        StepCount = stepCount;
        Carrying = carrying;
        CarryingContents = carryingContents;
    }

    /// <summary>The cells.</summary>
    public Grid Grid { get; }

    /// <summary>The agent's cell.</summary>
    public GridPosition AgentPosition { get; }

    /// <summary>The agent's direction (0 right, 1 down, 2 left, 3 up).</summary>
    public int AgentDirection { get; }

    /// <summary>The mission string (it also selects the mission's rules, see <see cref="Tasks.MissionTasks"/>).</summary>
    public string Mission { get; }

    /// <summary>The step limit.</summary>
    public int MaxSteps { get; }

    /// <summary>Steps already taken.</summary>
    public int StepCount { get; }

    /// <summary>The carried object, or <see cref="WorldObject.None"/>.</summary>
    public WorldObject Carrying { get; }

    /// <summary>What the carried box holds.</summary>
    public WorldObject CarryingContents { get; }

    /// <summary>Captures the current situation of <paramref name="env"/> (the grid is copied).</summary>
    public static MiniGridLevel Capture(IMiniGridEnv env)
    {
        var grid = new Grid(env.Grid.Width, env.Grid.Height);
        grid.CopyFrom(env.Grid);
        return new MiniGridLevel(grid, env.AgentPosition, env.AgentDirection, env.Mission, env.MaxSteps, env.StepCount, env.Carrying, env.CarryingContents);
    }
}
