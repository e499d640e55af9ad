using RLRegularity.Envs.Core;

namespace RLRegularity.Envs.ClassicControl;

/// <summary>Registers the classic-control environments under Gymnasium's ids and settings.</summary>
public static class ClassicControlEnvs
{
    /// <summary>Adds CartPole-v1 and Acrobot-v1 to <see cref="EnvRegistry"/> (called by the registry itself).</summary>
    internal static void Register()
    {
        EnvRegistry.Register(new EnvSpec("CartPole-v1", () => new CartPoleEnv(), 500, 475.0,
            "Balance a pole on a cart (Gymnasium CartPole-v1): 4 float32 observations, 2 actions, +1 per step."));
        EnvRegistry.Register(new EnvSpec("Acrobot-v1", () => new AcrobotEnv(), 500, -100.0,
            "Swing a two-link pendulum's end above the bar (Gymnasium Acrobot-v1): 6 observations, 3 torques, -1 per step."));
    }
}
