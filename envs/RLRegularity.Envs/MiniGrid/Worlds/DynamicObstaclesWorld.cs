namespace RLRegularity.Envs.MiniGrid.Worlds;

/// <summary>
/// Minigrid's Dynamic-Obstacles: an empty room with blue balls that each move to a random free neighbouring cell
/// (3×3 around it, 100 tries) before every action; walking forward into a ball or a wall ends the episode with
/// reward −1. Three actions: left, right, forward; Minigrid takes the other four as left, and so does this world.
/// </summary>
public sealed class DynamicObstaclesWorld : MiniGridEnv
{
    private readonly bool _randomStart;
    private readonly GridPosition[] _obstacles;

    /// <summary>A <paramref name="size"/>² room, max_steps 4·size²; more than size/2 + 1 obstacles are cut to size/2.</summary>
    public DynamicObstaclesWorld(int size = 8, int obstacles = 4, bool randomStart = false)
        : base(size, size, 4 * size * size, seeThroughWalls: true, actionCount: 3)
    {
        _randomStart = randomStart;
        _obstacles = new GridPosition[obstacles <= size / 2.0 + 1 ? obstacles : size / 2];
    }

    protected override void GenerateGrid(int width, int height)
    {
        Grid.WallRect(0, 0, width, height);
        Grid.Set(width - 2, height - 2, WorldObject.Goal);
        if (_randomStart) PlaceAgent();
        else SetAgent(new(1, 1), 0);
        for (int i = 0; i < _obstacles.Length; i++) _obstacles[i] = PlaceObject(WorldObject.Ball(), maxTries: 100);
        Mission = "get to the green goal square";
        Task = new ObstacleRules(this);
    }

    private sealed class ObstacleRules(DynamicObstaclesWorld world) : MissionTask
    {
        private bool _blocked;

        // DynamicObstaclesEnv.step: "if action >= self.action_space.n: action = 0", so pickup, drop, toggle and done turn left.
        public override MiniGridAction TranslateAction(MiniGridAction action) =>
            (int)action >= world.ActionSpace.N ? MiniGridAction.Left : action;

        public override void BeforeStep(MiniGridEnv env, MiniGridAction action)
        {
            GridPosition f = world.FrontPosition;
            WorldObject front = world.Grid.GetOrWall(f.X, f.Y);
            _blocked = !front.IsNone && front.Type != ObjectType.Goal;
            GridPosition[] obstacles = world._obstacles;
            for (int i = 0; i < obstacles.Length; i++)
            {
                GridPosition old = obstacles[i];
                if (world.TryPlaceObject(WorldObject.Ball(), new(old.X - 1, old.Y - 1), (3, 3), null, 100) is not { } moved) continue;
                world.Grid.Set(old, WorldObject.None);
                obstacles[i] = moved;
            }
        }

        public override void AfterStep(MiniGridEnv env, MiniGridAction action, ref double reward, ref bool terminated)
        {
            if (action != MiniGridAction.Forward || !_blocked) return;
            reward = -1;
            terminated = true;
        }
    }
}
