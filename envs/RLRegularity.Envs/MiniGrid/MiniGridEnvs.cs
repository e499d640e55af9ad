using RLRegularity.Envs.Core;
using RLRegularity.Envs.MiniGrid.Worlds;

namespace RLRegularity.Envs.MiniGrid;

/// <summary>Registers the MiniGrid families under Minigrid's exact ids and settings.</summary>
public static class MiniGridEnvs
{
    /// <summary>Adds every MiniGrid id to <see cref="EnvRegistry"/> (called by the registry itself).</summary>
    internal static void Register()
    {
        foreach (int size in (int[])[5, 6, 8, 16])
        {
            int s = size;
            Add($"MiniGrid-Empty-{s}x{s}-v0", () => new EmptyWorld(s), "Empty room, reach the goal in the far corner from the top-left corner.");
            if (s is 5 or 6) Add($"MiniGrid-Empty-Random-{s}x{s}-v0", () => new EmptyWorld(s, randomStart: true), "Empty room, random start, reach the goal.");
            Add($"MiniGrid-DoorKey-{s}x{s}-v0", () => new DoorKeyWorld(s), "Pick up the key, unlock the door, reach the goal.");
        }
    }

    // Minigrid's envs truncate at their own max_steps, so the spec carries no extra time limit.
    private static void Add(string id, Func<IEnv> factory, string description) =>
        EnvRegistry.Register(new EnvSpec(id, factory, null, null, description));
}
