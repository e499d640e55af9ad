namespace RLRegularity.Envs.MiniGrid.Tasks;

/// <summary>GoToDoor's rules: toggling ends the episode; <c>done</c> ends it, rewarded when the agent is beside the target door.</summary>
public sealed class GoToDoorTask(ObjectColor color) : MissionTask
{
    private GridPosition _target;

    /// <summary>The target door's colour.</summary>
    public ObjectColor Color { get; } = color;

    public override void OnReset(MiniGridEnv env) =>
        _target = env.Grid.Find(ObjectType.Door, Color) ?? throw new InvalidOperationException($"the mission needs a {ObjectColors.Name(Color)} door");

    public override void AfterStep(MiniGridEnv env, MiniGridAction action, ref double reward, ref bool terminated)
    {
        // "Don't let the agent open any of the doors."
        if (action == MiniGridAction.Toggle) terminated = true;
        if (action == MiniGridAction.Done)
        {
            GridPosition a = env.AgentPosition;
            if ((a.X == _target.X && Math.Abs(a.Y - _target.Y) == 1) || (a.Y == _target.Y && Math.Abs(a.X - _target.X) == 1))
                reward = env.SuccessReward();
            terminated = true;
        }
    }
}
