namespace RLRegularity.Envs.Core;

/// <summary>Base class of wrappers: forwards everything to the wrapped environment; subclasses override what they change.</summary>
public abstract class EnvWrapper : IEnv, ICheckpointableEnv
{
    /// <summary>Wraps <paramref name="inner"/>.</summary>
    protected EnvWrapper(IEnv inner) => Inner = inner ?? throw new ArgumentNullException(nameof(inner));

    /// <summary>The wrapped environment.</summary>
    public IEnv Inner { get; }

    public virtual EnvSpec? Spec { get => Inner.Spec; set => Inner.Spec = value; }
    public virtual Space ObservationSpace => Inner.ObservationSpace;
    public virtual DiscreteSpace ActionSpace => Inner.ActionSpace;
    public IEnv Unwrapped => Inner.Unwrapped;

    public virtual ResetResult Reset(long? seed = null, IReadOnlyDictionary<string, object>? options = null) => Inner.Reset(seed, options);
    public virtual StepResult Step(int action) => Inner.Step(action);
    public void WriteState(BinaryWriter writer)
    {
        EnvState.Write(Inner, writer);
        WriteWrapperState(writer);
    }

    public void ReadState(BinaryReader reader)
    {
        EnvState.Read(Inner, reader);
        ReadWrapperState(reader);
    }

    /// <summary>Writes this wrapper's own state (nothing by default).</summary>
    protected virtual void WriteWrapperState(BinaryWriter writer) { }

    /// <summary>Reads what <see cref="WriteWrapperState"/> wrote.</summary>
    protected virtual void ReadWrapperState(BinaryReader reader) { }

    public virtual void Dispose()
    {
        Inner.Dispose();
        GC.SuppressFinalize(this);
    }
}

/// <summary>Finds environments and wrappers of a given type along a wrapper chain.</summary>
public static class EnvChain
{
    /// <summary>The outermost environment or wrapper of type <typeparamref name="T"/> in the chain, or null.</summary>
    public static T? Find<T>(this IEnv env) where T : class
    {
        for (IEnv? e = env; e is not null; e = (e as EnvWrapper)?.Inner)
        {
            if (e is T found) return found;
        }
        return null;
    }

    /// <summary>Every environment and wrapper of type <typeparamref name="T"/> in the chain, outermost first.</summary>
    public static IEnumerable<T> FindAll<T>(this IEnv env) where T : class
    {
        for (IEnv? e = env; e is not null; e = (e as EnvWrapper)?.Inner)
        {
            if (e is T found) yield return found;
        }
    }
}
