using RLRegularity.Envs.Core;

namespace RLRegularity.Envs.NonStationary;

/// <summary>
/// Transforms observations as o' = (1 + v·(scale − 1))·o + v·shift + v·noise·ε with ε ~ N(0, 1) per element, where v is
/// the schedule's value (0 = untouched, 1 = fully transformed): an affine change and/or Gaussian noise on the inputs.
/// </summary>
public sealed class ObservationDrift : NonStationaryWrapper
{
    private readonly float[] _scale;
    private readonly float[] _shift;
    private readonly double _noiseStd;
    private readonly float[] _buffer;
    private readonly BoxSpace _space;
    private Rng _noise;

    /// <summary>Wraps <paramref name="inner"/>; <paramref name="scale"/> and <paramref name="shift"/> have one value per observation element.</summary>
    public ObservationDrift(IEnv inner, float[] scale, float[] shift, double noiseStd, DriftSchedule schedule, long noiseSeed = 0) : base(inner, schedule)
    {
        int size = inner.ObservationSpace.FlatSize;
        if (scale.Length != size || shift.Length != size)
            throw new ArgumentException($"scale and shift need {size} values each, got {scale.Length} and {shift.Length}");
        if (!(noiseStd >= 0)) throw new ArgumentOutOfRangeException(nameof(noiseStd), noiseStd, "must be >= 0");
        _scale = (float[])scale.Clone();
        _shift = (float[])shift.Clone();
        _noiseStd = noiseStd;
        _buffer = new float[size];
        _space = new BoxSpace(float.NegativeInfinity, float.PositiveInfinity, [.. inner.ObservationSpace.Shape.DefaultIfEmpty(1)]);
        _noise = new Rng(noiseSeed, RngStreams.ObservationNoise);
    }

    public override Space ObservationSpace => _space;

    protected override float[] TransformObservation(float[] observation, double value)
    {
        if (value == 0) return observation;
        for (int i = 0; i < _buffer.Length; i++)
        {
            double o = (1 + value * (_scale[i] - 1)) * observation[i] + value * _shift[i];
            if (_noiseStd > 0) o += value * _noiseStd * _noise.NextGaussian();
            _buffer[i] = (float)o;
        }
        return _buffer;
    }

    protected override void WriteWrapperState(BinaryWriter writer)
    {
        base.WriteWrapperState(writer);
        EnvState.WriteRng(writer, _noise.GetState());
    }

    protected override void ReadWrapperState(BinaryReader reader)
    {
        base.ReadWrapperState(reader);
        _noise = Rng.FromState(EnvState.ReadRng(reader));
    }
}
