namespace RLRegularity.Envs.Core;

/// <summary>Truncates episodes after a fixed number of steps, as Gymnasium's <c>TimeLimit</c>.</summary>
public sealed class TimeLimit : EnvWrapper
{
    /// <summary>Wraps <paramref name="inner"/> so that step number <paramref name="maxEpisodeSteps"/> of an episode is truncated.</summary>
    public TimeLimit(IEnv inner, int maxEpisodeSteps) : base(inner)
    {
        if (maxEpisodeSteps <= 0) throw new ArgumentOutOfRangeException(nameof(maxEpisodeSteps), maxEpisodeSteps, "must be positive");
        MaxEpisodeSteps = maxEpisodeSteps;
    }

    /// <summary>The step count at which an episode is truncated.</summary>
    public int MaxEpisodeSteps { get; }

    /// <summary>Steps taken since the last reset.</summary>
    public int ElapsedSteps { get; private set; }

    protected override void WriteWrapperState(BinaryWriter writer) => writer.Write(ElapsedSteps);

    protected override void ReadWrapperState(BinaryReader reader) => ElapsedSteps = reader.ReadInt32();

    public override ResetResult Reset(long? seed = null, IReadOnlyDictionary<string, object>? options = null)
    {
        ElapsedSteps = 0;
        return Inner.Reset(seed, options);
    }

    public override StepResult Step(int action)
    {
        StepResult r = Inner.Step(action);
        ElapsedSteps++;
        // As Gymnasium: truncation is reported even on a step that also terminates.
        return ElapsedSteps >= MaxEpisodeSteps ? r with { Truncated = true } : r;
    }
}
