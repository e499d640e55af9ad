namespace RLRegularity.Envs.Core;

/// <summary>
/// Base class of concrete environments: owns the seeded generator (Gymnasium's <c>np_random</c>), the observation
/// buffer and the info, and implements Gymnasium's seeding contract once.
/// </summary>
public abstract class Env : IEnv
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
        if ((uint)action >= (uint)ActionSpace.N)
            throw new ArgumentOutOfRangeException(nameof(action), action, $"the action must be in {ActionSpace}");
        Info.Clear();
        var (reward, terminated, truncated) = StepCore(action);
        return new StepResult(Observation, reward, terminated, truncated, Info);
    }

    /// <summary>Draws the initial state from <see cref="Random"/> and writes the first observation.</summary>
    protected abstract void ResetCore(IReadOnlyDictionary<string, object>? options);

    /// <summary>Applies a valid action, writes the next observation and returns reward and end flags.</summary>
    protected abstract (double Reward, bool Terminated, bool Truncated) StepCore(int action);

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
