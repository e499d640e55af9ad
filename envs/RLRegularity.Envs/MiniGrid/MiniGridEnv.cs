using RLRegularity.Envs.Core;
using RLRegularity.Envs.Rendering;

namespace RLRegularity.Envs.MiniGrid;

/// <summary>
/// The MiniGrid engine (Minigrid's <c>MiniGridEnv</c>): the grid, the agent, the seven actions, the success reward
/// <c>1 − 0.9·step_count/max_steps</c>, truncation at <see cref="MaxSteps"/> and the egocentric encoded view.
/// A family derives from it and only implements <see cref="GenerateGrid"/> (and sets <see cref="Mission"/>, and a
/// <see cref="Task"/> if its mission adds rules), using the placement helpers below.
/// </summary>
/// <remarks>
/// The observation is Minigrid's <c>image</c> as <c>view·view·3</c> floats in numpy's C order of <c>image[x, y, c]</c>;
/// the direction and mission are properties (and the direction is also <c>Info.Values["direction"]</c>).
/// <see cref="Env.Step"/> does not allocate.
/// </remarks>
public abstract class MiniGridEnv : Env, IMiniGridEnv, IRenderableEnv
{
    /// <summary>Minigrid's default view size.</summary>
    public const int DefaultViewSize = 7;

    /// <summary>Key of the direction in the step's info.</summary>
    public const string DirectionInfoKey = "direction";

    private readonly BoxSpace _observationSpace;
    private readonly DiscreteSpace _actionSpace;
    private readonly WorldObject[] _view;
    private readonly bool[] _visible;
    private GridPosition _agent;

    // The episode so far, for checkpoints: the generator's state before the level was generated and every action since.
    // Replaying them rebuilds the exact state of any family (grid, carried object, mission task, moving obstacles)
    // without each family serialising its own fields.
    private RngState _episodeStart;
    private bool _episodeStarted;
    private byte[] _episodeActions;
    private int _episodeLength;

    /// <summary>
    /// Creates the engine for a <paramref name="width"/> × <paramref name="height"/> world truncated at
    /// <paramref name="maxSteps"/>, with an <paramref name="agentViewSize"/> view (odd, ≥ 3) and
    /// <paramref name="actionCount"/> actions (7, or fewer for families that restrict them).
    /// </summary>
    protected MiniGridEnv(int width, int height, int maxSteps, int agentViewSize = DefaultViewSize, bool seeThroughWalls = false, int actionCount = 7)
        : base(CheckedViewSize(agentViewSize) * agentViewSize * 3)
    {
        if (maxSteps <= 0) throw new ArgumentOutOfRangeException(nameof(maxSteps), maxSteps, "max_steps must be positive");
        if (actionCount is < 1 or > 7) throw new ArgumentOutOfRangeException(nameof(actionCount), actionCount, "MiniGrid has 1 to 7 actions");
        Grid = new Grid(width, height);
        MaxSteps = maxSteps;
        AgentViewSize = agentViewSize;
        SeeThroughWalls = seeThroughWalls;
        _observationSpace = new BoxSpace(0, 255, [agentViewSize, agentViewSize, 3], BoxDType.UInt8);
        _actionSpace = new DiscreteSpace(actionCount);
        _view = new WorldObject[agentViewSize * agentViewSize];
        _visible = new bool[agentViewSize * agentViewSize];
        _agent = new(-1, -1);
        AgentDirection = -1;
        _episodeActions = new byte[maxSteps + 1];
    }

    /// <summary>
    /// Every family takes Minigrid's seven actions, even one whose action space is smaller: its <see cref="Task"/> says
    /// what the others do (Dynamic-Obstacles turns them into left, as <c>DynamicObstaclesEnv.step</c> does).
    /// </summary>
    protected sealed override bool AcceptsAction(int action) => (uint)action <= (uint)MiniGridAction.Done;

    private static int CheckedViewSize(int size) =>
        size >= 3 && size % 2 == 1 ? size : throw new ArgumentOutOfRangeException(nameof(size), size, "agent_view_size must be odd and at least 3");

    public override Space ObservationSpace => _observationSpace;
    public override DiscreteSpace ActionSpace => _actionSpace;

    public Grid Grid { get; }
    public int AgentDirection { get; protected set; }

    public GridPosition AgentPosition
    {
        get => _agent;
        protected set => _agent = value;
    }

    public string Mission { get; protected set; } = "";
    public WorldObject Carrying { get; protected set; }
    public WorldObject CarryingContents { get; protected set; }
    public int StepCount { get; protected set; }
    public int MaxSteps { get; protected set; }
    public int AgentViewSize { get; }
    public bool SeeThroughWalls { get; }

    /// <summary>The rules the mission adds to the engine's; set by <see cref="GenerateGrid"/> (default: none).</summary>
    protected MissionTask Task { get; set; } = MissionTask.ReachGoal;

    /// <summary>The grid's width.</summary>
    public int Width => Grid.Width;

    /// <summary>The grid's height.</summary>
    public int Height => Grid.Height;

    /// <summary>The cell in front of the agent (Minigrid's <c>front_pos</c>).</summary>
    public GridPosition FrontPosition => _agent.Step(AgentDirection);

    /// <summary>The generator of the level (exposed to mission tasks that move objects).</summary>
    public Rng Generator => Random;

    /// <summary>The success reward at the current step count: <c>1 − 0.9·(step_count / max_steps)</c>.</summary>
    public double SuccessReward() => 1 - 0.9 * ((double)StepCount / MaxSteps);

    /// <summary>Builds the level on the cleared <see cref="Grid"/>: objects, agent position and direction, mission.</summary>
    protected abstract void GenerateGrid(int width, int height);

    protected sealed override void ResetCore(IReadOnlyDictionary<string, object>? options)
    {
        _episodeStart = Random.GetState();
        _episodeStarted = true;
        _episodeLength = 0;
        Grid.Clear();
        _agent = new(-1, -1);
        AgentDirection = -1;
        Carrying = WorldObject.None;
        CarryingContents = WorldObject.None;
        StepCount = 0;
        Task = MissionTask.ReachGoal;
        GenerateGrid(Grid.Width, Grid.Height);
        if (!Grid.Contains(_agent.X, _agent.Y) || AgentDirection is < 0 or > 3)
            throw new InvalidOperationException($"{GetType().Name} did not place the agent (position {_agent}, direction {AgentDirection})");
        if (!Grid.Get(_agent).CanOverlap)
            throw new InvalidOperationException($"{GetType().Name} placed the agent on a {Grid.Get(_agent)} at {_agent}");
        Task.OnReset(this);
        WriteObservation(Observation);
        Info.Values[DirectionInfoKey] = AgentDirection;
    }

    protected sealed override (double Reward, bool Terminated, bool Truncated) StepCore(int action)
    {
        // Stepping on past truncation is allowed (as in Minigrid), so the record grows when it must.
        if (_episodeLength == _episodeActions.Length) Array.Resize(ref _episodeActions, 2 * _episodeActions.Length);
        _episodeActions[_episodeLength++] = (byte)action;
        MiniGridAction act = Task.TranslateAction((MiniGridAction)action);
        Task.BeforeStep(this, act);
        StepCount++;
        double reward = 0;
        bool terminated = false;
        GridPosition front = FrontPosition;
        WorldObject ahead = Grid.GetOrWall(front.X, front.Y);
        switch (act)
        {
            case MiniGridAction.Left:
                AgentDirection = (AgentDirection + 3) & 3;
                break;
            case MiniGridAction.Right:
                AgentDirection = (AgentDirection + 1) & 3;
                break;
            case MiniGridAction.Forward:
                if (ahead.CanOverlap) _agent = front;
                if (ahead.Type == ObjectType.Goal)
                {
                    terminated = true;
                    reward = SuccessReward();
                }
                else if (ahead.Type == ObjectType.Lava)
                {
                    terminated = true;
                }
                break;
            case MiniGridAction.Pickup:
                if (ahead.CanPickup && Carrying.IsNone)
                {
                    Carrying = ahead;
                    CarryingContents = Grid.ContentsAt(front.X, front.Y);
                    Grid.Set(front, WorldObject.None);
                }
                break;
            case MiniGridAction.Drop:
                if (ahead.IsNone && !Carrying.IsNone)
                {
                    Grid.Set(front, Carrying, CarryingContents);
                    Carrying = WorldObject.None;
                    CarryingContents = WorldObject.None;
                }
                break;
            case MiniGridAction.Toggle:
                Toggle(front, ahead);
                break;
            case MiniGridAction.Done:
                break;
        }
        Task.AfterStep(this, act, ref reward, ref terminated);
        bool truncated = StepCount >= MaxSteps;
        WriteObservation(Observation);
        Info.Values[DirectionInfoKey] = AgentDirection;
        return (reward, terminated, truncated);
    }

    /// <summary>Writes the episode so far (its start state and actions) and the current state to check the replay against.</summary>
    protected sealed override void WriteCoreState(BinaryWriter writer)
    {
        writer.Write(_episodeStarted);
        if (!_episodeStarted) return;
        EnvState.WriteRng(writer, _episodeStart);
        writer.Write(_episodeLength);
        writer.Write(_episodeActions, 0, _episodeLength);
        EnvState.WriteRng(writer, Random.GetState());
        writer.Write(StepCount);
        writer.Write(_agent.X);
        writer.Write(_agent.Y);
        writer.Write(AgentDirection);
    }

    /// <summary>
    /// Rebuilds the state by regenerating the episode's level from its start state and replaying its actions, then
    /// checks that the generator, step count and agent agree with what was written.
    /// </summary>
    protected sealed override void ReadCoreState(BinaryReader reader)
    {
        if (!reader.ReadBoolean())
        {
            _episodeStarted = false;
            return;
        }
        RngState start = EnvState.ReadRng(reader);
        int length = reader.ReadInt32();
        if (length < 0) throw new InvalidDataException($"{GetType().Name} checkpoint: negative episode length {length}");
        byte[] actions = reader.ReadBytes(length);
        if (actions.Length != length) throw new InvalidDataException($"{GetType().Name} checkpoint: the episode's actions are truncated");
        RngState current = EnvState.ReadRng(reader);
        int stepCount = reader.ReadInt32();
        var agent = new GridPosition(reader.ReadInt32(), reader.ReadInt32());
        int direction = reader.ReadInt32();

        RestoreRandom(start);
        Info.Clear();
        ResetCore(null);
        foreach (byte a in actions)
        {
            if (!AcceptsAction(a)) throw new InvalidDataException($"{GetType().Name} checkpoint: action {a} is not one it takes");
            Info.Clear();
            StepCore(a);
        }
        if (Random.GetState() != current || StepCount != stepCount || _agent != agent || AgentDirection != direction)
            throw new InvalidDataException(
                $"{GetType().Name} checkpoint does not replay to the saved state (step {StepCount} vs {stepCount}, agent {_agent} vs {agent}, " +
                $"direction {AgentDirection} vs {direction}): it was written by a different build or configuration of this world");
    }

    // Door.toggle and Box.toggle: a locked door opens only with a key of its colour; a box is replaced by its contents.
    private void Toggle(GridPosition at, WorldObject obj)
    {
        if (obj.Type == ObjectType.Door)
        {
            if (obj.DoorState == DoorState.Locked)
            {
                if (Carrying.Type == ObjectType.Key && Carrying.Color == obj.Color) Grid.SetState(at.X, at.Y, (byte)DoorState.Open);
            }
            else
            {
                Grid.SetState(at.X, at.Y, (byte)(obj.DoorState == DoorState.Open ? DoorState.Closed : DoorState.Open));
            }
        }
        else if (obj.Type == ObjectType.Box)
        {
            Grid.Set(at, Grid.ContentsAt(at.X, at.Y));
        }
    }

    public GridPosition ViewToWorld(int viewX, int viewY)
    {
        // get_full_render: top_left + r·vx − f·vy with top_left = agent + f·(view−1) − r·(view/2).
        GridPosition f = GridPosition.DirectionVector(AgentDirection);
        int rx = -f.Y, ry = f.X;
        int ahead = AgentViewSize - 1 - viewY, side = viewX - AgentViewSize / 2;
        return new(_agent.X + f.X * ahead + rx * side, _agent.Y + f.Y * ahead + ry * side);
    }

    public void WriteVisibility(Span<bool> mask)
    {
        int n = AgentViewSize * AgentViewSize;
        if (mask.Length < n) throw new ArgumentException($"the mask needs {n} entries, got {mask.Length}", nameof(mask));
        FillView();
        for (int x = 0; x < AgentViewSize; x++)
        {
            for (int y = 0; y < AgentViewSize; y++) mask[x * AgentViewSize + y] = _visible[y * AgentViewSize + x];
        }
    }

    public void WriteObservation(Span<float> destination)
    {
        int size = AgentViewSize;
        if (destination.Length < size * size * 3) throw new ArgumentException($"the observation needs {size * size * 3} floats, got {destination.Length}", nameof(destination));
        FillView();
        int agentIndex = (size - 1) * size + size / 2;
        for (int y = 0; y < size; y++)
        {
            for (int x = 0; x < size; x++)
            {
                int v = y * size + x;
                int o = (x * size + y) * 3;
                if (v == agentIndex)
                {
                    // gen_obs_grid: the agent's own cell shows what it carries.
                    destination[o] = Carrying.EncodedType;
                    destination[o + 1] = Carrying.EncodedColor;
                    destination[o + 2] = Carrying.State;
                }
                else if (_visible[v])
                {
                    WorldObject c = _view[v];
                    destination[o] = c.EncodedType;
                    destination[o + 1] = c.EncodedColor;
                    destination[o + 2] = c.State;
                }
                else
                {
                    destination[o] = 0;
                    destination[o + 1] = 0;
                    destination[o + 2] = 0;
                }
            }
        }
    }

    // The view as gen_obs_grid builds it (slice, rotate agent_dir + 1 times, process_vis), indexed y·size + x.
    // Reading the world through ViewToWorld's mapping gives the rotated slice directly.
    private void FillView()
    {
        int size = AgentViewSize, half = size / 2;
        GridPosition f = GridPosition.DirectionVector(AgentDirection);
        int rx = -f.Y, ry = f.X;
        for (int y = 0; y < size; y++)
        {
            int ahead = size - 1 - y;
            int bx = _agent.X + f.X * ahead - rx * half, by = _agent.Y + f.Y * ahead - ry * half;
            for (int x = 0; x < size; x++) _view[y * size + x] = Grid.GetOrWall(bx + rx * x, by + ry * x);
        }
        if (SeeThroughWalls)
        {
            Array.Fill(_visible, true);
            return;
        }
        ProcessVisibility(size);
    }

    // Grid.process_vis: from the agent's cell, spread row by row upwards (rightwards then leftwards in each row)
    // through cells that do not block sight; a cell that blocks is itself visible but passes nothing on.
    private void ProcessVisibility(int size)
    {
        bool[] mask = _visible;
        WorldObject[] view = _view;
        Array.Clear(mask);
        mask[(size - 1) * size + size / 2] = true;
        for (int j = size - 1; j >= 0; j--)
        {
            int row = j * size, above = row - size;
            for (int i = 0; i < size - 1; i++)
            {
                if (!mask[row + i] || !view[row + i].SeeBehind) continue;
                mask[row + i + 1] = true;
                if (j > 0)
                {
                    mask[above + i + 1] = true;
                    mask[above + i] = true;
                }
            }
            for (int i = size - 1; i >= 1; i--)
            {
                if (!mask[row + i] || !view[row + i].SeeBehind) continue;
                mask[row + i - 1] = true;
                if (j > 0)
                {
                    mask[above + i - 1] = true;
                    mask[above + i] = true;
                }
            }
        }
    }

    /// <summary>
    /// Writes the full grid's encoding with the agent as (10, red, direction) — Minigrid's <c>FullyObsWrapper</c> —
    /// as <c>width·height·3</c> floats in numpy's C order of <c>image[x, y, c]</c>.
    /// </summary>
    public void WriteFullEncoding(Span<float> destination)
    {
        int w = Grid.Width, h = Grid.Height;
        if (destination.Length < w * h * 3) throw new ArgumentException($"the encoding needs {w * h * 3} floats, got {destination.Length}", nameof(destination));
        for (int x = 0; x < w; x++)
        {
            for (int y = 0; y < h; y++)
            {
                int o = (x * h + y) * 3;
                if (x == _agent.X && y == _agent.Y)
                {
                    destination[o] = (int)ObjectType.Agent;
                    destination[o + 1] = (int)ObjectColor.Red;
                    destination[o + 2] = AgentDirection;
                    continue;
                }
                WorldObject c = Grid.Get(x, y);
                destination[o] = c.EncodedType;
                destination[o + 1] = c.EncodedColor;
                destination[o + 2] = c.State;
            }
        }
    }

    // ---- Level-generation helpers (Minigrid's _rand_* and place_* methods) ----

    /// <summary>An integer uniform in [low, high) (<c>_rand_int</c>).</summary>
    protected int RandInt(int low, int high) => Random.NextInt(low, high);

    /// <summary>A fair coin (<c>_rand_bool</c>: <c>integers(0, 2) == 0</c>).</summary>
    protected bool RandBool() => Random.NextInt(0, 2) == 0;

    /// <summary>A uniformly chosen element (<c>_rand_elem</c>).</summary>
    protected T RandElem<T>(IReadOnlyList<T> items) => items[Random.NextInt(0, items.Count)];

    /// <summary>A random colour, drawn from the names sorted alphabetically (<c>_rand_color</c>).</summary>
    protected ObjectColor RandColor() => RandElem(ObjectColors.ChoiceOrder);

    /// <summary><paramref name="count"/> distinct elements in draw order (<c>_rand_subset</c>).</summary>
    protected List<T> RandSubset<T>(IReadOnlyList<T> items, int count)
    {
        if (count > items.Count) throw new ArgumentOutOfRangeException(nameof(count), count, $"cannot draw {count} of {items.Count} elements");
        var pool = new List<T>(items);
        var result = new List<T>(count);
        while (result.Count < count)
        {
            T elem = pool[Random.NextInt(0, pool.Count)];
            pool.Remove(elem);
            result.Add(elem);
        }
        return result;
    }

    /// <summary>A random cell with x in [xLow, xHigh) and y in [yLow, yHigh) (<c>_rand_pos</c>: x drawn first).</summary>
    protected GridPosition RandPos(int xLow, int xHigh, int yLow, int yHigh)
    {
        int x = Random.NextInt(xLow, xHigh);
        int y = Random.NextInt(yLow, yHigh);
        return new(x, y);
    }

    /// <summary>Puts <paramref name="obj"/> at (x, y) (<c>put_obj</c>).</summary>
    protected void PutObject(WorldObject obj, int x, int y, WorldObject contents = default) => Grid.Set(x, y, obj, contents);

    /// <summary>
    /// <c>place_obj</c>: draws cells uniformly in the rectangle (x then y, clipped to the grid) until one is empty,
    /// is not the agent's cell and is not rejected by <paramref name="reject"/>; puts <paramref name="obj"/> there
    /// (nothing for <see cref="WorldObject.None"/>). Returns null once more than <paramref name="maxTries"/> draws failed.
    /// </summary>
    protected GridPosition? TryPlaceObject(WorldObject obj, GridPosition? top = null, (int W, int H)? size = null,
        Func<GridPosition, bool>? reject = null, long maxTries = long.MaxValue, WorldObject contents = default)
    {
        GridPosition t = top is { } given ? new(Math.Max(given.X, 0), Math.Max(given.Y, 0)) : new(0, 0);
        (int w, int h) = size ?? (Grid.Width, Grid.Height);
        long tries = 0;
        while (true)
        {
            if (tries > maxTries) return null;
            tries++;
            int x = Random.NextInt(t.X, Math.Min(t.X + w, Grid.Width));
            int y = Random.NextInt(t.Y, Math.Min(t.Y + h, Grid.Height));
            var pos = new GridPosition(x, y);
            if (!Grid.Get(x, y).IsNone) continue;
            if (pos == _agent) continue;
            if (reject is not null && reject(pos)) continue;
            if (!obj.IsNone) Grid.Set(x, y, obj, contents);
            return pos;
        }
    }

    /// <summary><see cref="TryPlaceObject"/> that throws <see cref="InvalidOperationException"/> when placement fails.</summary>
    protected GridPosition PlaceObject(WorldObject obj, GridPosition? top = null, (int W, int H)? size = null,
        Func<GridPosition, bool>? reject = null, long maxTries = long.MaxValue, WorldObject contents = default) =>
        TryPlaceObject(obj, top, size, reject, maxTries, contents)
        ?? throw new InvalidOperationException($"rejection sampling failed in place_obj ({obj} after {maxTries} tries)");

    /// <summary><c>place_agent</c>: a random free cell in the rectangle and, if <paramref name="randomDirection"/>, a random direction.</summary>
    protected GridPosition PlaceAgent(GridPosition? top = null, (int W, int H)? size = null, bool randomDirection = true, long maxTries = long.MaxValue)
    {
        _agent = new(-1, -1);
        GridPosition pos = PlaceObject(WorldObject.None, top, size, null, maxTries);
        _agent = pos;
        if (randomDirection) AgentDirection = Random.NextInt(0, 4);
        return pos;
    }

    /// <summary>Sets the agent's cell and direction directly.</summary>
    protected void SetAgent(GridPosition position, int direction)
    {
        _agent = position;
        AgentDirection = direction;
    }

    /// <summary>10 frames per second, as Minigrid's <c>metadata["render_fps"]</c>.</summary>
    public int RenderFps => 10;

    /// <summary>The whole grid in Minigrid's tiles (32 pixels a cell) with the agent's view highlighted, as <c>render()</c>.</summary>
    public RgbImage Render() => Rendering.TileRenderer.RenderFull(this);
}
