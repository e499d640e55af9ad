using RLRegularity.Envs.Core;

namespace RLRegularity.Envs.MiniGrid.Wrappers;

/// <summary>
/// Base of Minigrid's observation wrappers: after every reset and step of the wrapped environment, the new
/// observation is computed from the MiniGrid world found below in the chain (Gymnasium's <c>ObservationWrapper</c>).
/// </summary>
public abstract class MiniGridObservationWrapper : EnvWrapper
{
    private readonly BoxSpace _space;

    /// <summary>Wraps <paramref name="inner"/>, which must have a MiniGrid environment in its chain; observations have <paramref name="shape"/>.</summary>
    protected MiniGridObservationWrapper(IEnv inner, int[] shape, float high = 255) : base(inner)
    {
        World = inner.Find<IMiniGridEnv>() ?? throw new ArgumentException($"{GetType().Name} needs a MiniGrid environment, got {inner.GetType().Name}", nameof(inner));
        _space = new BoxSpace(0, high, shape, BoxDType.UInt8);
        Buffer = new float[_space.FlatSize];
    }

    /// <summary>The MiniGrid world the observations are computed from.</summary>
    protected IMiniGridEnv World { get; }

    /// <summary>The wrapper's observation buffer (overwritten by every call).</summary>
    protected float[] Buffer { get; }

    public override Space ObservationSpace => _space;

    public override ResetResult Reset(long? seed = null, IReadOnlyDictionary<string, object>? options = null)
    {
        ResetResult r = Inner.Reset(seed, options);
        Observe(r.Observation);
        return r with { Observation = Buffer };
    }

    public override StepResult Step(int action)
    {
        StepResult r = Inner.Step(action);
        Observe(r.Observation);
        return r with { Observation = Buffer };
    }

    /// <summary>Writes the new observation into <see cref="Buffer"/>; <paramref name="inner"/> is the wrapped environment's.</summary>
    protected abstract void Observe(float[] inner);
}
