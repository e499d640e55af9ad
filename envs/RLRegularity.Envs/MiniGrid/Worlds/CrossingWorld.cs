namespace RLRegularity.Envs.MiniGrid.Worlds;

/// <summary>
/// Minigrid's Crossing (LavaCrossing, SimpleCrossing): rivers of lava or walls across an odd-sized room, each with one
/// opening along a random path from the agent (top-left, facing right) to the goal (bottom-right).
/// </summary>
public sealed class CrossingWorld : MiniGridEnv
{
    private readonly int _numCrossings;
    private readonly WorldObject _obstacle;

    /// <summary>A <paramref name="size"/>² room (odd), <paramref name="numCrossings"/> rivers of lava (or walls), max_steps 4·size².</summary>
    public CrossingWorld(int size = 9, int numCrossings = 1, bool lava = true) : base(size, size, 4 * size * size)
    {
        if (size % 2 == 0) throw new ArgumentOutOfRangeException(nameof(size), size, "Crossing needs an odd size");
        _numCrossings = numCrossings;
        _obstacle = lava ? WorldObject.Lava : WorldObject.Wall();
    }

    protected override void GenerateGrid(int width, int height)
    {
        Grid.WallRect(0, 0, width, height);
        SetAgent(new(1, 1), 0);
        PutObject(WorldObject.Goal, width - 2, height - 2);
        // Rivers: (vertical?, position); shuffle (numpy's shuffle, so a seed gives Python's level), keep the first num_crossings.
        var rivers = new List<(bool Vertical, int Pos)>();
        for (int i = 2; i < height - 2; i += 2) rivers.Add((true, i));
        for (int j = 2; j < width - 2; j += 2) rivers.Add((false, j));
        (bool, int)[] shuffled = [.. rivers];
        Random.ShuffleAsNumpy(shuffled.AsSpan());
        var chosen = shuffled.Take(_numCrossings).ToList();
        List<int> riversV = [.. chosen.Where(r => r.Item1).Select(r => r.Item2).Order()];
        List<int> riversH = [.. chosen.Where(r => !r.Item1).Select(r => r.Item2).Order()];
        foreach (int j in riversH)
        {
            for (int i = 1; i < width - 1; i++) PutObject(_obstacle, i, j);
        }
        foreach (int i in riversV)
        {
            for (int j = 1; j < height - 1; j++) PutObject(_obstacle, i, j);
        }
        // The path to the goal: one horizontal move per vertical river and one vertical move per horizontal river.
        bool[] path = [.. Enumerable.Repeat(true, riversV.Count), .. Enumerable.Repeat(false, riversH.Count)];
        Random.ShuffleAsNumpy(path.AsSpan());
        List<int> limitsV = [0, .. riversV, height - 1];
        List<int> limitsH = [0, .. riversH, width - 1];
        int roomI = 0, roomJ = 0;
        foreach (bool horizontalMove in path)
        {
            int x, y;
            if (horizontalMove)
            {
                x = limitsV[roomI + 1];
                y = RandInt(limitsH[roomJ] + 1, limitsH[roomJ + 1]);
                roomI++;
            }
            else
            {
                x = RandInt(limitsV[roomI] + 1, limitsV[roomI + 1]);
                y = limitsH[roomJ + 1];
                roomJ++;
            }
            Grid.Set(x, y, WorldObject.None);
        }
        Mission = _obstacle.Type == ObjectType.Lava
            ? "avoid the lava and get to the green goal square"
            : "find the opening and get to the green goal square";
    }
}
