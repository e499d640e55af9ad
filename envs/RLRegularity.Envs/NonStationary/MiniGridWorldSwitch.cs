using RLRegularity.Envs.Core;
using RLRegularity.Envs.MiniGrid;

namespace RLRegularity.Envs.NonStationary;

/// <summary>
/// An <see cref="EnvSwitch"/> between two MiniGrid worlds that is itself a MiniGrid world: it shows the active world
/// to observation wrappers, renderers and level dumps, so everything that works on a MiniGrid id works on the switch.
/// </summary>
public sealed class MiniGridWorldSwitch : EnvSwitch, IMiniGridEnv
{
    /// <summary>Switches from <paramref name="first"/> to <paramref name="second"/> (both MiniGrid worlds) as <paramref name="schedule"/> says.</summary>
    public MiniGridWorldSwitch(IEnv first, IEnv second, DriftSchedule schedule) : base(first, second, schedule)
    {
        if (first.Find<IMiniGridEnv>() is not { } a || second.Find<IMiniGridEnv>() is not { } b)
            throw new ArgumentException("both environments must be MiniGrid worlds");
        if (a.AgentViewSize != b.AgentViewSize)
            throw new ArgumentException($"both worlds need the same view size, got {a.AgentViewSize} and {b.AgentViewSize}");
    }

    private IMiniGridEnv World => (InSecond ? Second : First).Find<IMiniGridEnv>()!;

    public int AgentDirection => World.AgentDirection;
    public GridPosition AgentPosition => World.AgentPosition;
    public string Mission => World.Mission;
    public Grid Grid => World.Grid;
    public WorldObject Carrying => World.Carrying;
    public WorldObject CarryingContents => World.CarryingContents;
    public int StepCount => World.StepCount;
    public int MaxSteps => World.MaxSteps;
    public int AgentViewSize => World.AgentViewSize;
    public bool SeeThroughWalls => World.SeeThroughWalls;
    public void WriteObservation(Span<float> destination) => World.WriteObservation(destination);
    public void WriteVisibility(Span<bool> mask) => World.WriteVisibility(mask);
    public GridPosition ViewToWorld(int viewX, int viewY) => World.ViewToWorld(viewX, viewY);
}
