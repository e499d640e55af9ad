using RLRegularity.Envs.ClassicControl;
using RLRegularity.Envs.Core;

namespace RLRegularity.Envs.NonStationary;

/// <summary>
/// Ready-made non-stationary tasks (our design, not the paper's: SPEC 8.3). Each classic task's dynamics, action mapping
/// or observations change over the global step, by default at step 100,000, the midpoint of a 200,000-step run (a linear
/// drift is centred there); each MiniGrid task switches worlds at step 250,000.
/// </summary>
public static class NonStationaryTasks
{
    /// <summary>The global step of the abrupt changes and the centre of the drifts.</summary>
    public const long ChangeStep = 100_000;

    /// <summary>
    /// The global step of the MiniGrid world switches: the midpoint of a 500,000-frame PPO run, late enough that the
    /// first world is mastered (DoorKey-5x5 is solved within ~300k frames).
    /// </summary>
    public const long MiniGridChangeStep = 250_000;

    /// <summary>Adds the tasks to <see cref="EnvRegistry"/> (called by the registry itself).</summary>
    internal static void Register()
    {
        Add("CartPole-PoleLengthSwitch-v0", 500, 475.0, "CartPole-v1 whose pole half-length switches from 0.5 m to 0.2 m at step 100k (faster, harder dynamics).",
            new TaskChange("pole half-length 0.5 -> 0.2 m", new SwitchSchedule(0.5, 0.2, ChangeStep)),
            c => new ParameterDrift(new CartPoleEnv(), "length", c.Schedule));
        Add("CartPole-GravityDrift-v0", 500, 475.0, "CartPole-v1 whose gravity drifts linearly from 9.8 to 24.5 m/s² between steps 75k and 125k.",
            new TaskChange("gravity 9.8 -> 24.5 m/s^2", new LinearDriftSchedule(9.8, 24.5, ChangeStep - 25_000, ChangeStep + 25_000)),
            c => new ParameterDrift(new CartPoleEnv(), "gravity", c.Schedule));
        Add("CartPole-ActionFlip-v0", 500, 475.0, "CartPole-v1 whose actions swap (0 pushes right, 1 left) from step 100k.",
            new TaskChange("actions swapped", new SwitchSchedule(0, 1, ChangeStep)),
            c => new ActionPermutation(new CartPoleEnv(), [1, 0], c.Schedule));
        Add("CartPole-ObservationDrift-v0", 500, 475.0, "CartPole-v1 whose observations are rescaled (velocities ×4) and shifted (x +1, θ +0.1) from step 100k.",
            new TaskChange("observation affine: scale [1,4,1,4], shift [1,0,0.1,0]", new SwitchSchedule(0, 1, ChangeStep)),
            c => new ObservationDrift(new CartPoleEnv(), [1, 4, 1, 4], [1, 0, 0.1f, 0], 0, c.Schedule));
        Add("Acrobot-MassDrift-v0", 500, -100.0, "Acrobot-v1 whose second link's mass drifts linearly from 1 to 3 kg between steps 75k and 125k.",
            new TaskChange("link_mass_2 1 -> 3 kg", new LinearDriftSchedule(1, 3, ChangeStep - 25_000, ChangeStep + 25_000)),
            c => new ParameterDrift(new AcrobotEnv(), "link_mass_2", c.Schedule));
        Add("MiniGrid-DistShift-Switch-v0", null, null, "MiniGrid-DistShift1-v0 (second lava strip on row 2) until step 250k, then MiniGrid-DistShift2-v0 (on row 5); the switch takes effect at the next episode.",
            new TaskChange("world DistShift1 -> DistShift2", new SwitchSchedule(0, 1, MiniGridChangeStep)),
            c => new MiniGridWorldSwitch(EnvRegistry.Make("MiniGrid-DistShift1-v0"), EnvRegistry.Make("MiniGrid-DistShift2-v0"), c.Schedule));
        Add("MiniGrid-DoorKey-LavaGap-Switch-v0", null, null, "MiniGrid-DoorKey-5x5-v0 until step 250k, then MiniGrid-LavaGapS5-v0 (same 7x7 view and 7 actions); the switch takes effect at the next episode.",
            new TaskChange("world DoorKey-5x5 -> LavaGapS5", new SwitchSchedule(0, 1, MiniGridChangeStep)),
            c => new MiniGridWorldSwitch(EnvRegistry.Make("MiniGrid-DoorKey-5x5-v0"), EnvRegistry.Make("MiniGrid-LavaGapS5-v0"), c.Schedule));
    }

    private static void Add(string id, int? maxSteps, double? threshold, string description, TaskChange change, Func<TaskChange, IEnv> build) =>
        EnvRegistry.Register(new EnvSpec(id, () => build(change), maxSteps, threshold, description) { Change = change });
}
