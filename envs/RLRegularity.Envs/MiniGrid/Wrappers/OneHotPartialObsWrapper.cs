using RLRegularity.Envs.Core;

namespace RLRegularity.Envs.MiniGrid.Wrappers;

/// <summary>
/// Minigrid's <c>OneHotPartialObsWrapper</c>: each view cell becomes 20 bits — 11 for the object index, 6 for the
/// colour, 3 for the state — shape <c>[view, view, 20]</c> in numpy's C order of <c>out[x, y, bit]</c>.
/// </summary>
public sealed class OneHotPartialObsWrapper : MiniGridObservationWrapper
{
    private const int ObjectBits = 11, ColorBits = 6, StateBits = 3, Bits = ObjectBits + ColorBits + StateBits;

    /// <summary>Wraps <paramref name="inner"/>.</summary>
    public OneHotPartialObsWrapper(IEnv inner) : base(inner, ViewShape(inner)) { }

    private static int[] ViewShape(IEnv inner)
    {
        int v = (inner.Find<IMiniGridEnv>() ?? throw new ArgumentException("OneHotPartialObsWrapper needs a MiniGrid environment", nameof(inner))).AgentViewSize;
        return [v, v, Bits];
    }

    protected override void Observe(float[] inner)
    {
        Array.Clear(Buffer);
        int cells = inner.Length / 3;
        for (int k = 0; k < cells; k++)
        {
            int o = k * Bits;
            Buffer[o + (int)inner[k * 3]] = 1;
            Buffer[o + ObjectBits + (int)inner[k * 3 + 1]] = 1;
            Buffer[o + ObjectBits + ColorBits + (int)inner[k * 3 + 2]] = 1;
        }
    }
}
