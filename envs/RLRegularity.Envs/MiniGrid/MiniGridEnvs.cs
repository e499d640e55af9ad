using RLRegularity.Envs.Core;
using RLRegularity.Envs.MiniGrid.Worlds;

namespace RLRegularity.Envs.MiniGrid;

/// <summary>Registers the MiniGrid families under Minigrid's exact ids and settings (<c>minigrid/__init__.py</c>).</summary>
public static class MiniGridEnvs
{
    /// <summary>Adds every MiniGrid id to <see cref="EnvRegistry"/> (called by the registry itself).</summary>
    internal static void Register()
    {
        foreach (int s in (int[])[5, 6, 8, 16])
        {
            Add($"MiniGrid-Empty-{s}x{s}-v0", () => new EmptyWorld(s), "Empty room: reach the goal in the far corner from the top-left corner.");
            if (s is 5 or 6) Add($"MiniGrid-Empty-Random-{s}x{s}-v0", () => new EmptyWorld(s, randomStart: true), "Empty room, random start: reach the goal.");
            Add($"MiniGrid-DoorKey-{s}x{s}-v0", () => new DoorKeyWorld(s), "Pick up the key, unlock the door, reach the goal.");
        }
        Add("MiniGrid-RedBlueDoors-6x6-v0", () => new RedBlueDoorsWorld(6), "Open the red door, then the blue door.");
        Add("MiniGrid-RedBlueDoors-8x8-v0", () => new RedBlueDoorsWorld(8), "Open the red door, then the blue door.");
        foreach (int s in (int[])[5, 6, 7]) Add($"MiniGrid-LavaGapS{s}-v0", () => new LavaGapWorld(s), "Cross a lava strip through its gap to the goal.");
        Add("MiniGrid-DistShift1-v0", () => new DistShiftWorld(2), "Reach the goal past two lava strips (second strip on row 2).");
        Add("MiniGrid-DistShift2-v0", () => new DistShiftWorld(5), "Reach the goal past two lava strips (second strip on row 5).");
        Add("MiniGrid-FourRooms-v0", () => new FourRoomsWorld(), "Four rooms, random start and goal.");
        Add("MiniGrid-MultiRoom-N2-S4-v0", () => new MultiRoomWorld(2, 2, 4), "Traverse 2 rooms of side ≤ 4 through closed doors to the goal.");
        // Sic: Minigrid 3.0.0 registers N4-S5 with minNumRooms = maxNumRooms = 6 (so six rooms and max_steps 120), not 4.
        Add("MiniGrid-MultiRoom-N4-S5-v0", () => new MultiRoomWorld(6, 6, 5), "Traverse 6 rooms of side ≤ 5 through closed doors to the goal (six, as Minigrid registers this id).");
        Add("MiniGrid-MultiRoom-N6-v0", () => new MultiRoomWorld(6, 6), "Traverse 6 rooms through closed doors to the goal.");
        Add("MiniGrid-Unlock-v0", () => new UnlockWorld(), "Open the locked door with the key in the room.");
        Add("MiniGrid-UnlockPickup-v0", () => new UnlockPickupWorld(), "Unlock the door and pick up the box behind it.");
        Add("MiniGrid-BlockedUnlockPickup-v0", () => new BlockedUnlockPickupWorld(), "Move the ball blocking the door, unlock it, pick up the box.");
        foreach (var (s, r) in new[] { (3, 1), (3, 2), (3, 3), (4, 3), (5, 3), (6, 3) })
            Add($"MiniGrid-KeyCorridorS{s}R{r}-v0", () => new KeyCorridorWorld(s, r), "Find the key, unlock the room, pick up the ball.");
        foreach (var (s, n) in new[] { (9, 1), (9, 2), (9, 3), (11, 5) })
        {
            Add($"MiniGrid-LavaCrossingS{s}N{n}-v0", () => new CrossingWorld(s, n, lava: true), "Cross lava rivers through their openings to the goal.");
            Add($"MiniGrid-SimpleCrossingS{s}N{n}-v0", () => new CrossingWorld(s, n, lava: false), "Cross walls through their openings to the goal.");
        }
        foreach (var (s, n) in new[] { (5, 2), (6, 3), (8, 4), (16, 8) })
        {
            Add($"MiniGrid-Dynamic-Obstacles-{s}x{s}-v0", () => new DynamicObstaclesWorld(s, n), "Reach the goal avoiding moving balls (3 actions).");
            if (s is 5 or 6) Add($"MiniGrid-Dynamic-Obstacles-Random-{s}x{s}-v0", () => new DynamicObstaclesWorld(s, n, randomStart: true), "Reach the goal avoiding moving balls, random start.");
        }
        foreach (int s in (int[])[5, 6, 8]) Add($"MiniGrid-GoToDoor-{s}x{s}-v0", () => new GoToDoorWorld(s), "Stand next to the named door and signal done.");
        Add("MiniGrid-GoToObject-6x6-N2-v0", () => new GoToObjectWorld(6, 2), "Stand next to the named object and signal done.");
        Add("MiniGrid-GoToObject-8x8-N2-v0", () => new GoToObjectWorld(8, 2), "Stand next to the named object and signal done.");
        Add("MiniGrid-Fetch-5x5-N2-v0", () => new FetchWorld(5, 2), "Pick up the named object.");
        Add("MiniGrid-Fetch-6x6-N2-v0", () => new FetchWorld(6, 2), "Pick up the named object.");
        Add("MiniGrid-Fetch-8x8-N3-v0", () => new FetchWorld(8, 3), "Pick up the named object.");
        Add("MiniGrid-PutNear-6x6-N2-v0", () => new PutNearWorld(6, 2), "Put the named object next to the other named object.");
        Add("MiniGrid-PutNear-8x8-N3-v0", () => new PutNearWorld(8, 3), "Put the named object next to the other named object.");
        foreach (int s in (int[])[7, 9, 11, 13])
            Add($"MiniGrid-MemoryS{s}-v0", () => new MemoryWorld(s), "Remember the object in the start room; go beside its match at the end of the hallway.");
        Add("MiniGrid-MemoryS13Random-v0", () => new MemoryWorld(13, randomLength: true), "Memory with a hallway of random length.");
        Add("MiniGrid-MemoryS17Random-v0", () => new MemoryWorld(17, randomLength: true), "Memory with a hallway of random length.");
        Add("MiniGrid-LockedRoom-v0", () => new LockedRoomWorld(), "Fetch the key from the named room, unlock the locked room, reach the goal.");
        Add("MiniGrid-ObstructedMaze-1Dl-v0", () => new ObstructedMaze1DlhbWorld(keyInBox: false, blocked: false), "Unlock the door to the blue ball.");
        Add("MiniGrid-ObstructedMaze-1Dlh-v0", () => new ObstructedMaze1DlhbWorld(keyInBox: true, blocked: false), "Find the key in a box, unlock the door to the blue ball.");
        Add("MiniGrid-ObstructedMaze-1Dlhb-v0", () => new ObstructedMaze1DlhbWorld(), "Move the blocking ball, find the key in a box, unlock the door to the blue ball.");
        Add("MiniGrid-ObstructedMaze-2Dl-v0", () => new ObstructedMazeFullWorld((2, 1), false, false, 1, 4), "Two locked doors from a side room; the blue ball in a corner.");
        Add("MiniGrid-ObstructedMaze-2Dlh-v0", () => new ObstructedMazeFullWorld((2, 1), true, false, 1, 4), "Two locked doors, keys in boxes; the blue ball in a corner.");
        Add("MiniGrid-ObstructedMaze-2Dlhb-v0", () => new ObstructedMazeFullWorld((2, 1), true, true, 1, 4), "Two blocked locked doors, keys in boxes; the blue ball in a corner.");
        Add("MiniGrid-ObstructedMaze-1Q-v0", () => new ObstructedMazeFullWorld((1, 1), true, true, 1, 5), "One quarter of the obstructed 3x3 maze.");
        Add("MiniGrid-ObstructedMaze-2Q-v0", () => new ObstructedMazeFullWorld((2, 1), true, true, 2, 11), "Two quarters of the obstructed 3x3 maze.");
        Add("MiniGrid-ObstructedMaze-Full-v0", () => new ObstructedMazeFullWorld((1, 1)), "The full obstructed 3x3 maze.");
        Add("MiniGrid-Playground-v0", () => new PlaygroundWorld(), "Nine rooms of random objects; no mission, no reward.");
    }

    // Minigrid's environments truncate at their own max_steps, so the spec carries no extra time limit.
    private static void Add(string id, Func<IEnv> factory, string description) =>
        EnvRegistry.Register(new EnvSpec(id, factory, null, null, description));
}
