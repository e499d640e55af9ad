namespace RLRegularity.Envs.Core;

/// <summary>
/// An environment (or wrapper chain) whose complete state, generator included, can be written and read back, so a
/// training run resumed from a checkpoint continues exactly as if it had never stopped.
/// </summary>
public interface ICheckpointableEnv
{
    /// <summary>Writes the complete state: generator, physical state, counters, and every wrapper's state below.</summary>
    void WriteState(BinaryWriter writer);

    /// <summary>Restores a state written by <see cref="WriteState"/> of an environment built the same way.</summary>
    void ReadState(BinaryReader reader);
}

/// <summary>Writes and reads the state of any environment chain, with a clear error when an element cannot.</summary>
public static class EnvState
{
    /// <summary>Writes <paramref name="env"/>'s state; throws <see cref="NotSupportedException"/> naming the type if it cannot.</summary>
    public static void Write(IEnv env, BinaryWriter writer) => AsCheckpointable(env).WriteState(writer);

    /// <summary>Reads <paramref name="env"/>'s state.</summary>
    public static void Read(IEnv env, BinaryReader reader) => AsCheckpointable(env).ReadState(reader);

    private static ICheckpointableEnv AsCheckpointable(IEnv env) =>
        env as ICheckpointableEnv ?? throw new NotSupportedException($"{env.GetType().Name} cannot save its state for checkpoints");

    /// <summary>Writes an <see cref="Rng"/> state.</summary>
    public static void WriteRng(BinaryWriter w, RngState s)
    {
        w.Write(s.StateHigh); w.Write(s.StateLow); w.Write(s.IncrementHigh); w.Write(s.IncrementLow);
        w.Write(s.HasUInt32); w.Write(s.BufferedUInt32); w.Write(s.HasSpareGaussian); w.Write(s.SpareGaussian);
    }

    /// <summary>Reads an <see cref="Rng"/> state.</summary>
    public static RngState ReadRng(BinaryReader r) =>
        new(r.ReadUInt64(), r.ReadUInt64(), r.ReadUInt64(), r.ReadUInt64(), r.ReadBoolean(), r.ReadUInt32(), r.ReadBoolean(), r.ReadDouble());
}
