namespace RLRegularity.Envs.Core;

/// <summary>
/// Normalizes observations to zero mean and unit variance with running statistics and clips them, as SB3's
/// <c>VecNormalize</c> (observation part). Set <see cref="Frozen"/> for evaluation: the statistics stop updating.
/// </summary>
public sealed class NormalizeObservation : EnvWrapper
{
    private readonly float[] _normalized;
    private readonly BoxSpace _space;

    /// <summary>Wraps <paramref name="inner"/>; values are clipped to ±<paramref name="clip"/> after normalization.</summary>
    public NormalizeObservation(IEnv inner, double clip = 10.0, double epsilon = 1e-8) : base(inner)
    {
        if (!(clip > 0)) throw new ArgumentOutOfRangeException(nameof(clip), clip, "must be positive");
        if (!(epsilon > 0)) throw new ArgumentOutOfRangeException(nameof(epsilon), epsilon, "must be positive");
        int size = inner.ObservationSpace.FlatSize;
        Statistics = new RunningMeanStd(size);
        _normalized = new float[size];
        _space = new BoxSpace(float.NegativeInfinity, float.PositiveInfinity, [.. inner.ObservationSpace.Shape.DefaultIfEmpty(1)]);
        Clip = clip;
        Epsilon = epsilon;
    }

    /// <summary>The running statistics (save them with a model, restore them for evaluation).</summary>
    public RunningMeanStd Statistics { get; }

    /// <summary>When true, observations are normalized with the current statistics without updating them.</summary>
    public bool Frozen { get; set; }

    /// <summary>The clipping bound applied after normalization.</summary>
    public double Clip { get; }

    /// <summary>Added to the variance before the square root.</summary>
    public double Epsilon { get; }

    public override Space ObservationSpace => _space;

    protected override void WriteWrapperState(BinaryWriter writer) => Statistics.Write(writer);

    protected override void ReadWrapperState(BinaryReader reader) => Statistics.Read(reader);

    public override ResetResult Reset(long? seed = null, IReadOnlyDictionary<string, object>? options = null)
    {
        ResetResult r = Inner.Reset(seed, options);
        return r with { Observation = Normalize(r.Observation) };
    }

    public override StepResult Step(int action)
    {
        StepResult r = Inner.Step(action);
        return r with { Observation = Normalize(r.Observation) };
    }

    private float[] Normalize(float[] observation)
    {
        if (!Frozen) Statistics.Update(observation);
        for (int i = 0; i < _normalized.Length; i++)
        {
            double z = (observation[i] - Statistics.Mean[i]) / Math.Sqrt(Statistics.Variance[i] + Epsilon);
            _normalized[i] = (float)Math.Clamp(z, -Clip, Clip);
        }
        return _normalized;
    }
}
