using RLRegularity.Envs.Core;
using RLRegularity.Envs.MiniGrid.Rendering;

namespace RLRegularity.Envs.MiniGrid.Wrappers;

/// <summary>
/// Minigrid's <c>RGBImgObsWrapper</c>: the observation is the full rendering with the agent's view highlighted,
/// <c>[height·tile, width·tile, 3]</c> bytes (rows first, as numpy's RGB frames). Rendering allocates the frame.
/// </summary>
public sealed class RGBImgObsWrapper : MiniGridObservationWrapper
{
    private readonly int _tileSize;

    /// <summary>Wraps <paramref name="inner"/>; <paramref name="tileSize"/> pixels per cell (Minigrid's default 8).</summary>
    public RGBImgObsWrapper(IEnv inner, int tileSize = 8) : base(inner, FrameShape(inner, tileSize)) => _tileSize = tileSize;

    private static int[] FrameShape(IEnv inner, int tileSize)
    {
        if (tileSize <= 0) throw new ArgumentOutOfRangeException(nameof(tileSize), tileSize, "must be positive");
        Grid g = (inner.Find<IMiniGridEnv>() ?? throw new ArgumentException("RGBImgObsWrapper needs a MiniGrid environment", nameof(inner))).Grid;
        return [g.Height * tileSize, g.Width * tileSize, 3];
    }

    protected override void Observe(float[] inner)
    {
        byte[] pixels = TileRenderer.RenderFull(World, _tileSize, highlight: true).Pixels;
        for (int i = 0; i < pixels.Length; i++) Buffer[i] = pixels[i];
    }
}
