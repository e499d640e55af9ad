namespace RLRegularity.Envs.MiniGrid.Tasks;

/// <summary>
/// GoToObject's rules: toggling ends the episode; <c>done</c> ends it, rewarded when the agent stands on one of the four
/// cells beside (not diagonal to) where the target object was at the start, as <c>GoToObjectEnv.step</c> tests it.
/// </summary>
public sealed class GoToObjectTask(ObjectType type, ObjectColor color) : MissionTask
{
    private GridPosition _target;

    /// <summary>The target's type.</summary>
    public ObjectType Type { get; } = type;

    /// <summary>The target's colour.</summary>
    public ObjectColor Color { get; } = color;

    // Minigrid remembers target_pos at generation; a loaded level whose target is carried uses the agent's cell.
    public override void OnReset(MiniGridEnv env) => _target = env.Grid.Find(Type, Color) ?? env.AgentPosition;

    public override void AfterStep(MiniGridEnv env, MiniGridAction action, ref double reward, ref bool terminated)
    {
        if (action == MiniGridAction.Toggle) terminated = true;
        if (action == MiniGridAction.Done)
        {
            GridPosition a = env.AgentPosition;
            // Minigrid: (ax == tx and abs(ay - ty) == 1) or (ay == ty and abs(ax - tx) == 1); a diagonal neighbour fails.
            if ((a.X == _target.X && Math.Abs(a.Y - _target.Y) == 1) || (a.Y == _target.Y && Math.Abs(a.X - _target.X) == 1))
                reward = env.SuccessReward();
            terminated = true;
        }
    }
}
