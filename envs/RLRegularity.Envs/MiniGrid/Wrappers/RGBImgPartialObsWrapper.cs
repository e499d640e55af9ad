using RLRegularity.Envs.Core;
using RLRegularity.Envs.MiniGrid.Rendering;

namespace RLRegularity.Envs.MiniGrid.Wrappers;

/// <summary>
/// Minigrid's <c>RGBImgPartialObsWrapper</c>: the observation is the rendering of the agent's view (agent at the
/// bottom middle facing up), <c>[view·tile, view·tile, 3]</c> bytes, rows first. Rendering allocates the frame.
/// </summary>
public sealed class RGBImgPartialObsWrapper : MiniGridObservationWrapper
{
    private readonly int _tileSize;

    /// <summary>Wraps <paramref name="inner"/>; <paramref name="tileSize"/> pixels per cell (Minigrid's default 8).</summary>
    public RGBImgPartialObsWrapper(IEnv inner, int tileSize = 8) : base(inner, ViewShape(inner, tileSize)) => _tileSize = tileSize;

    private static int[] ViewShape(IEnv inner, int tileSize)
    {
        if (tileSize <= 0) throw new ArgumentOutOfRangeException(nameof(tileSize), tileSize, "must be positive");
        int v = (inner.Find<IMiniGridEnv>() ?? throw new ArgumentException("RGBImgPartialObsWrapper needs a MiniGrid environment", nameof(inner))).AgentViewSize;
        return [v * tileSize, v * tileSize, 3];
    }

    protected override void Observe(float[] inner)
    {
        byte[] pixels = TileRenderer.RenderAgentView(World, _tileSize).Pixels;
        for (int i = 0; i < pixels.Length; i++) Buffer[i] = pixels[i];
    }
}
