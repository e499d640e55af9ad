namespace RLRegularity.Envs.Core;

/// <summary>
/// Base class of concrete environments: owns the seeded generator (Gymnasium's <c>np_random</c>), the observation
/// buffer and the info, and implements Gymnasium's seeding contract once.
/// </summary>
public abstract class Env : IEnv, ICheckpointableEnv
{
    private Rng? _random;

    /// <summary>Creates the environment with an observation buffer of <paramref name="observationSize"/> floats.</summary>
    protected Env(int observationSize) => Observation = new float[observationSize];

    /// <summary>The current observation; overwritten in place by every reset and step.</summary>
    protected float[] Observation { get; }

    /// <summary>The info object returned by every call (cleared first).</summary>
    protected EnvInfo Info { get; } = new();

    /// <summary>The environment's generator; seeded by <see cref="Reset"/>, from OS entropy if it never was.</summary>
    protected Rng Random => _random ??= Rng.FromEntropy();

    /// <summary>Replaces the generator with one in <paramref name="state"/> (for environments that restore by replay).</summary>
    protected void RestoreRandom(RngState state) => _random = Rng.FromState(state);

    public EnvSpec? Spec { get; set; }
    public abstract Space ObservationSpace { get; }
    public abstract DiscreteSpace ActionSpace { get; }
    public IEnv Unwrapped => this;

    public ResetResult Reset(long? seed = null, IReadOnlyDictionary<string, object>? options = null)
    {
        if (seed is long s) _random = new Rng(s);
        Info.Clear();
        ResetCore(options);
        return new ResetResult(Observation, Info);
    }

    public StepResult Step(int action)
    {
        if (!AcceptsAction(action))
            throw new ArgumentOutOfRangeException(nameof(action), action, $"the action must be in {ActionSpace}");
        Info.Clear();
        var (reward, terminated, truncated) = StepCore(action);
        return new StepResult(Observation, reward, terminated, truncated, Info);
    }

    /// <summary>
    /// Whether <see cref="Step"/> takes <paramref name="action"/>: the actions of <see cref="ActionSpace"/>, unless the
    /// environment defines what actions outside it do (as Minigrid's Dynamic-Obstacles does).
    /// </summary>
    protected virtual bool AcceptsAction(int action) => (uint)action < (uint)ActionSpace.N;

    /// <summary>Draws the initial state from <see cref="Random"/> and writes the first observation.</summary>
    protected abstract void ResetCore(IReadOnlyDictionary<string, object>? options);

    /// <summary>Applies a valid action, writes the next observation and returns reward and end flags.</summary>
    protected abstract (double Reward, bool Terminated, bool Truncated) StepCore(int action);

    public void WriteState(BinaryWriter writer)
    {
        writer.Write(_random is not null);
        if (_random is not null) EnvState.WriteRng(writer, _random.GetState());
        writer.Write(Observation.Length);
        foreach (float v in Observation) writer.Write(v);
        WriteCoreState(writer);
    }

    public void ReadState(BinaryReader reader)
    {
        _random = reader.ReadBoolean() ? Rng.FromState(EnvState.ReadRng(reader)) : null;
        int length = reader.ReadInt32();
        if (length != Observation.Length) throw new InvalidDataException($"saved observation has {length} values, {GetType().Name} has {Observation.Length}");
        for (int i = 0; i < length; i++) Observation[i] = reader.ReadSingle();
        ReadCoreState(reader);
    }

    /// <summary>Writes the environment's own state (physical state, parameters, counters) for checkpoints.</summary>
    protected virtual void WriteCoreState(BinaryWriter writer) =>
        throw new NotSupportedException($"{GetType().Name} cannot save its state for checkpoints");

    /// <summary>Reads what <see cref="WriteCoreState"/> wrote.</summary>
    protected virtual void ReadCoreState(BinaryReader reader) =>
        throw new NotSupportedException($"{GetType().Name} cannot restore its state from checkpoints");

    /// <summary>Releases nothing by default.</summary>
    public virtual void Dispose() => GC.SuppressFinalize(this);

    /// <summary>Reads a numeric reset option (Gymnasium's <c>options</c> dictionary), or the default.</summary>
    protected static double OptionOrDefault(IReadOnlyDictionary<string, object>? options, string key, double fallback)
    {
        if (options is null || !options.TryGetValue(key, out object? value)) return fallback;
        try
        {
            return Convert.ToDouble(value, System.Globalization.CultureInfo.InvariantCulture);
        }
        catch (Exception e) when (e is FormatException or InvalidCastException or OverflowException)
        {
            throw new ArgumentException($"reset option '{key}' must be a number, got '{value}'", nameof(options), e);
        }
    }
}
