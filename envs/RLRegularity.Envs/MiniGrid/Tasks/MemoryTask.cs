namespace RLRegularity.Envs.MiniGrid.Tasks;

/// <summary>
/// Memory's rules (<c>MemoryEnv.step</c>): the pickup action acts as toggle, so the objects never move; stepping onto
/// the cell beside the end-of-hallway object that matches the start room's object succeeds, onto the cell beside the
/// other one fails. Both cells are located on the grid as Memory lays it out, so a loaded level follows them too.
/// </summary>
public sealed class MemoryTask : MissionTask
{
    private GridPosition _success, _failure;

    /// <summary>
    /// Locates the cells: the start room's object at (1, height/2 − 1), the two objects at (x, height/2 ∓ 2) at the
    /// end of the hallway; the success cell is the one between the hallway row and the object of the same kind
    /// (a key or a ball, as Minigrid compares classes, not colours).
    /// </summary>
    public override void OnReset(MiniGridEnv env)
    {
        Grid g = env.Grid;
        int mid = g.Height / 2;
        WorldObject cue = mid >= 2 ? g.Get(1, mid - 1) : WorldObject.None;
        if (IsChoice(cue))
        {
            for (int x = g.Width - 1; x >= 2; x--)
            {
                WorldObject upper = g.Get(x, mid - 2), lower = mid + 2 < g.Height ? g.Get(x, mid + 2) : WorldObject.None;
                if (!IsChoice(upper) || !IsChoice(lower)) continue;
                GridPosition belowUpper = new(x, mid - 1), aboveLower = new(x, mid + 1);
                (_success, _failure) = cue.Type == upper.Type ? (belowUpper, aboveLower) : (aboveLower, belowUpper);
                return;
            }
        }
        throw new InvalidOperationException(
            $"Memory's mission needs its layout: a key or ball at (1, {mid - 1}) in the start room and a key or ball at both (x, {mid - 2}) and (x, {mid + 2}) at the end of the hallway");
    }

    /// <summary>Pickup becomes toggle (<c>if action == pickup: action = toggle</c>): the start room's object cannot be carried.</summary>
    public override MiniGridAction TranslateAction(MiniGridAction action) => action == MiniGridAction.Pickup ? MiniGridAction.Toggle : action;

    public override void AfterStep(MiniGridEnv env, MiniGridAction action, ref double reward, ref bool terminated)
    {
        if (env.AgentPosition == _success)
        {
            reward = env.SuccessReward();
            terminated = true;
        }
        if (env.AgentPosition == _failure)
        {
            reward = 0;
            terminated = true;
        }
    }

    private static bool IsChoice(WorldObject o) => o.Type is ObjectType.Key or ObjectType.Ball;
}
