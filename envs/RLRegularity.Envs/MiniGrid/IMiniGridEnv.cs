namespace RLRegularity.Envs.MiniGrid;

/// <summary>
/// What a MiniGrid environment exposes beside its image observation: the parts of Minigrid's observation dictionary
/// that are not the image (direction, mission), and the world itself for wrappers, renderers and tests.
/// </summary>
public interface IMiniGridEnv
{
    /// <summary>The agent's direction: 0 right, 1 down, 2 left, 3 up (the observation's <c>direction</c>).</summary>
    int AgentDirection { get; }

    /// <summary>The agent's cell.</summary>
    GridPosition AgentPosition { get; }

    /// <summary>The mission string, word for word as Minigrid's (the observation's <c>mission</c>).</summary>
    string Mission { get; }

    /// <summary>The world's cells (read it; change it only through the environment's actions).</summary>
    Grid Grid { get; }

    /// <summary>The carried object, or <see cref="WorldObject.None"/>.</summary>
    WorldObject Carrying { get; }

    /// <summary>What the carried box holds (<see cref="WorldObject.None"/> otherwise).</summary>
    WorldObject CarryingContents { get; }

    /// <summary>Steps taken in this episode.</summary>
    int StepCount { get; }

    /// <summary>The step count at which the episode is truncated.</summary>
    int MaxSteps { get; }

    /// <summary>The side of the square egocentric view (odd, at least 3).</summary>
    int AgentViewSize { get; }

    /// <summary>When false (the default), walls and closed doors hide what lies behind them.</summary>
    bool SeeThroughWalls { get; }

    /// <summary>
    /// Writes the encoded egocentric view (Minigrid's <c>image</c>) into <paramref name="destination"/> as
    /// <c>AgentViewSize²·3</c> floats in numpy's C order of <c>image[x, y, channel]</c>. Does not allocate.
    /// </summary>
    void WriteObservation(Span<float> destination);

    /// <summary>
    /// Writes which cells of the view are visible into <paramref name="mask"/> (<c>AgentViewSize²</c> entries, index
    /// <c>x · view + y</c> as the image) and returns the world cell of each view cell through <see cref="ViewToWorld"/>.
    /// </summary>
    void WriteVisibility(Span<bool> mask);

    /// <summary>The world cell seen at view cell (<paramref name="viewX"/>, <paramref name="viewY"/>); it may lie off the grid.</summary>
    GridPosition ViewToWorld(int viewX, int viewY);
}
