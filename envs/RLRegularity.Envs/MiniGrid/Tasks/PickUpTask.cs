namespace RLRegularity.Envs.MiniGrid.Tasks;

/// <summary>KeyCorridor's, UnlockPickup's and ObstructedMaze's rule: a pickup action while carrying the target succeeds.</summary>
public sealed class PickUpTask(ObjectType type, ObjectColor color) : MissionTask
{
    /// <summary>The target's type.</summary>
    public ObjectType Type { get; } = type;

    /// <summary>The target's colour.</summary>
    public ObjectColor Color { get; } = color;

    public override void AfterStep(MiniGridEnv env, MiniGridAction action, ref double reward, ref bool terminated)
    {
        if (action == MiniGridAction.Pickup && env.Carrying.Type == Type && env.Carrying.Color == Color)
        {
            reward = env.SuccessReward();
            terminated = true;
        }
    }
}
