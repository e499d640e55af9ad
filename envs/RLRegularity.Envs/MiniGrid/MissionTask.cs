namespace RLRegularity.Envs.MiniGrid;

/// <summary>
/// The rules a mission adds to the engine's (Minigrid families override <c>step</c> to reward, for instance, picking
/// up the right object): hooks called around every step. The default task adds nothing: the goal square and lava
/// are handled by the engine.
/// </summary>
public class MissionTask
{
    /// <summary>The engine's rules only (reach the goal square, avoid lava).</summary>
    public static MissionTask ReachGoal { get; } = new();

    /// <summary>Called once the level is generated (and after a level is loaded): locate the mission's targets.</summary>
    public virtual void OnReset(MiniGridEnv env) { }

    /// <summary>Replaces the action before anything else happens (Memory turns pickup into toggle); identity by default.</summary>
    public virtual MiniGridAction TranslateAction(MiniGridAction action) => action;

    /// <summary>Called before the action is applied (step count not yet incremented); may change the world.</summary>
    public virtual void BeforeStep(MiniGridEnv env, MiniGridAction action) { }

    /// <summary>Called after the engine applied the action: may change the reward and the termination.</summary>
    public virtual void AfterStep(MiniGridEnv env, MiniGridAction action, ref double reward, ref bool terminated) { }
}
