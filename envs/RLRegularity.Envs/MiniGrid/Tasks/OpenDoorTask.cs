namespace RLRegularity.Envs.MiniGrid.Tasks;

/// <summary>Unlock's rule: a toggle that leaves the (single) door open succeeds.</summary>
public sealed class OpenDoorTask : MissionTask
{
    private GridPosition _door;

    public override void OnReset(MiniGridEnv env)
    {
        Grid g = env.Grid;
        for (int y = 0; y < g.Height; y++)
        {
            for (int x = 0; x < g.Width; x++)
            {
                if (g.Get(x, y).Type != ObjectType.Door) continue;
                _door = new(x, y);
                return;
            }
        }
        throw new InvalidOperationException("the mission 'open the door' needs a door");
    }

    public override void AfterStep(MiniGridEnv env, MiniGridAction action, ref double reward, ref bool terminated)
    {
        if (action == MiniGridAction.Toggle && env.Grid.Get(_door).DoorState == DoorState.Open)
        {
            reward = env.SuccessReward();
            terminated = true;
        }
    }
}
