using RLRegularity.Envs.Core;
using RLRegularity.Envs.MiniGrid;
using RLRegularity.Networks;

namespace RLRegularity.Agents.Common;

/// <summary>Resolves a config's <see cref="ObservationEncoder"/> against an environment and builds the encoder it names.</summary>
public static class ObservationEncoders
{
    /// <summary>
    /// <see cref="ObservationEncoder.Auto"/> becomes <see cref="ObservationEncoder.Grid"/> when <paramref name="env"/> is a
    /// MiniGrid environment (under any wrappers) whose observation is a rank-3 uint8 box (the encoded image), and
    /// <see cref="ObservationEncoder.Mlp"/> otherwise; the explicit choices are returned as they are.
    /// </summary>
    public static ObservationEncoder Resolve(ObservationEncoder choice, IEnv env)
    {
        ArgumentNullException.ThrowIfNull(env);
        if (choice != ObservationEncoder.Auto) return choice;
        bool minigridImage = env.ObservationSpace is BoxSpace { DType: BoxDType.UInt8 } box && box.Shape.Count == 3
                             && env.Unwrapped is IMiniGridEnv;
        return minigridImage ? ObservationEncoder.Grid : ObservationEncoder.Mlp;
    }

    /// <summary>
    /// The grid encoder for <paramref name="env"/>'s [W, H, C] observation when <paramref name="choice"/> resolves to
    /// <see cref="ObservationEncoder.Grid"/>, or null for <see cref="ObservationEncoder.Mlp"/>. An observation the
    /// encoder cannot take is an error naming its shape.
    /// </summary>
    public static GridEncoder? Create(ObservationEncoder choice, IEnv env, double observationScale)
    {
        if (Resolve(choice, env) != ObservationEncoder.Grid) return null;
        IReadOnlyList<int> shape = env.ObservationSpace.Shape;
        if (shape.Count != 3)
            throw new ArgumentException($"encoder=grid needs an image observation shaped [width, height, channels], but this environment's is [{string.Join(", ", shape)}]; use encoder=mlp");
        return new GridEncoder(shape[0], shape[1], shape[2], observationScale);
    }
}
