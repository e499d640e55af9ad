using RLRegularity.Envs.Core;

namespace RLRegularity.Envs.MiniGrid.Wrappers;

/// <summary>
/// Minigrid's <c>ImgObsWrapper</c> (keep only the image). Our MiniGrid observation already is the image — the
/// direction and mission are properties of <see cref="IMiniGridEnv"/> — so this wrapper is the identity; it exists so
/// that code written against Minigrid's wrapper stack keeps its shape.
/// </summary>
public sealed class ImgObsWrapper : EnvWrapper
{
    /// <summary>Wraps <paramref name="inner"/>, which must have a MiniGrid environment in its chain.</summary>
    public ImgObsWrapper(IEnv inner) : base(inner)
    {
        if (inner.Find<IMiniGridEnv>() is null) throw new ArgumentException($"ImgObsWrapper needs a MiniGrid environment, got {inner.GetType().Name}", nameof(inner));
    }
}
