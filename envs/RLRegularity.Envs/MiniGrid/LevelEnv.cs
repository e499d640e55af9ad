using RLRegularity.Envs.MiniGrid.Tasks;

namespace RLRegularity.Envs.MiniGrid;

/// <summary>
/// A MiniGrid environment that always resets to one given <see cref="MiniGridLevel"/> (a user's map, a test's exact
/// situation); the mission's rules, and whether walls hide what lies behind them, are recognised from its text
/// (<see cref="MissionTasks"/>), as the grid description does not carry them.
/// </summary>
public sealed class LevelEnv : MiniGridEnv
{
    private readonly MiniGridLevel _level;

    /// <summary>
    /// Creates the environment (reset it before stepping, like every environment); <paramref name="seeThroughWalls"/>
    /// defaults to what the mission's family uses (<see cref="MissionTasks.SeesThroughWalls"/>).
    /// </summary>
    public LevelEnv(MiniGridLevel level, int agentViewSize = DefaultViewSize, bool? seeThroughWalls = null)
        : base(level.Grid.Width, level.Grid.Height, level.MaxSteps, agentViewSize,
               seeThroughWalls ?? MissionTasks.SeesThroughWalls(level.Mission)) => _level = level;

    protected override void GenerateGrid(int width, int height)
    {
        Grid.CopyFrom(_level.Grid);
        SetAgent(_level.AgentPosition, _level.AgentDirection);
        Carrying = _level.Carrying;
        CarryingContents = _level.CarryingContents;
        StepCount = _level.StepCount;
        Mission = _level.Mission;
        Task = MissionTasks.FromMission(_level.Mission);
    }
}
