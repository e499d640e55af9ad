namespace RLRegularity.Envs.MiniGrid.Tasks;

/// <summary>Fetch's rule: as soon as the agent carries something the episode ends, rewarded if it is the target.</summary>
public sealed class FetchTask(ObjectType type, ObjectColor color) : MissionTask
{
    /// <summary>The target's type.</summary>
    public ObjectType Type { get; } = type;

    /// <summary>The target's colour.</summary>
    public ObjectColor Color { get; } = color;

    public override void AfterStep(MiniGridEnv env, MiniGridAction action, ref double reward, ref bool terminated)
    {
        if (env.Carrying.IsNone) return;
        reward = env.Carrying.Type == Type && env.Carrying.Color == Color ? env.SuccessReward() : 0;
        terminated = true;
    }
}
