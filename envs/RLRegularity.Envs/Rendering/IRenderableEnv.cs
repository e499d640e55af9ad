namespace RLRegularity.Envs.Rendering;

/// <summary>An environment that draws its current state as an RGB frame (Gymnasium's <c>render_mode="rgb_array"</c>).</summary>
public interface IRenderableEnv
{
    /// <summary>The frames per second at which Gymnasium shows this environment (its <c>metadata["render_fps"]</c>).</summary>
    int RenderFps { get; }

    /// <summary>Draws the current state.</summary>
    RgbImage Render();
}
