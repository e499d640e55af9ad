namespace RLRegularity.Envs.MiniGrid.Tasks;

/// <summary>
/// PutNear's rules: picking up anything but the object to move ends the episode; dropping ends it, rewarded when the
/// dropped object lands within one cell (diagonals included) of where the target was at the start.
/// </summary>
public sealed class PutNearTask(ObjectType moveType, ObjectColor moveColor, ObjectType targetType, ObjectColor targetColor) : MissionTask
{
    private GridPosition _target;
    private WorldObject _carriedBefore;

    /// <summary>The type of the object to move.</summary>
    public ObjectType MoveType { get; } = moveType;

    /// <summary>The colour of the object to move.</summary>
    public ObjectColor MoveColor { get; } = moveColor;

    /// <summary>The type of the object to put it near.</summary>
    public ObjectType TargetType { get; } = targetType;

    /// <summary>The colour of the object to put it near.</summary>
    public ObjectColor TargetColor { get; } = targetColor;

    // Minigrid remembers target_pos at generation; a loaded level whose target is carried uses the agent's cell.
    public override void OnReset(MiniGridEnv env) => _target = env.Grid.Find(TargetType, TargetColor) ?? env.AgentPosition;

    public override void BeforeStep(MiniGridEnv env, MiniGridAction action) => _carriedBefore = env.Carrying;

    public override void AfterStep(MiniGridEnv env, MiniGridAction action, ref double reward, ref bool terminated)
    {
        if (action == MiniGridAction.Pickup && !env.Carrying.IsNone && (env.Carrying.Type != MoveType || env.Carrying.Color != MoveColor))
            terminated = true;
        if (action == MiniGridAction.Drop && !_carriedBefore.IsNone)
        {
            // As Minigrid: any object successfully dropped near the target counts, and any drop attempt ends the episode.
            GridPosition o = env.FrontPosition;
            if (env.Grid.Contains(o.X, o.Y) && env.Grid.Get(o) == _carriedBefore && env.Carrying.IsNone
                && Math.Abs(o.X - _target.X) <= 1 && Math.Abs(o.Y - _target.Y) <= 1)
                reward = env.SuccessReward();
            terminated = true;
        }
    }
}
