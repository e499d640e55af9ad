namespace RLRegularity.Envs.MiniGrid.Tasks;

/// <summary>RedBlueDoors' rules: opening the blue door ends the episode, rewarded if the red door was already open; opening the red door after the blue one fails.</summary>
public sealed class RedBlueDoorsTask : MissionTask
{
    private GridPosition _red, _blue;
    private bool _redBefore, _blueBefore;

    public override void OnReset(MiniGridEnv env)
    {
        _red = env.Grid.Find(ObjectType.Door, ObjectColor.Red) ?? throw new InvalidOperationException("the mission needs a red door");
        _blue = env.Grid.Find(ObjectType.Door, ObjectColor.Blue) ?? throw new InvalidOperationException("the mission needs a blue door");
    }

    public override void BeforeStep(MiniGridEnv env, MiniGridAction action)
    {
        _redBefore = IsOpen(env, _red);
        _blueBefore = IsOpen(env, _blue);
    }

    public override void AfterStep(MiniGridEnv env, MiniGridAction action, ref double reward, ref bool terminated)
    {
        if (IsOpen(env, _blue))
        {
            reward = _redBefore ? env.SuccessReward() : 0;
            terminated = true;
        }
        else if (IsOpen(env, _red) && _blueBefore)
        {
            reward = 0;
            terminated = true;
        }
    }

    private static bool IsOpen(MiniGridEnv env, GridPosition p) => env.Grid.Get(p).DoorState == DoorState.Open;
}
