using RLRegularity.Envs.Core;

namespace RLRegularity.Envs.MiniGrid.Wrappers;

/// <summary>
/// Minigrid's <c>FullyObsWrapper</c>: the observation is the whole grid's encoding, <c>[width, height, 3]</c> in numpy's
/// C order of <c>image[x, y, c]</c>, with the agent's cell encoded as (10 agent, 0 red, direction).
/// </summary>
public sealed class FullyObsWrapper : MiniGridObservationWrapper
{
    /// <summary>Wraps <paramref name="inner"/>.</summary>
    public FullyObsWrapper(IEnv inner) : base(inner, FullShape(inner)) { }

    private static int[] FullShape(IEnv inner)
    {
        Grid g = (inner.Find<IMiniGridEnv>() ?? throw new ArgumentException("FullyObsWrapper needs a MiniGrid environment", nameof(inner))).Grid;
        return [g.Width, g.Height, 3];
    }

    protected override void Observe(float[] inner)
    {
        if (World is not MiniGridEnv env) throw new InvalidOperationException("FullyObsWrapper needs a MiniGridEnv");
        env.WriteFullEncoding(Buffer);
    }
}
