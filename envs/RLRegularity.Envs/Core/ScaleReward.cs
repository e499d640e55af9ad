namespace RLRegularity.Envs.Core;

/// <summary>Multiplies every reward by a constant factor.</summary>
public sealed class ScaleReward : EnvWrapper
{
    /// <summary>Wraps <paramref name="inner"/>; <paramref name="scale"/> must be finite.</summary>
    public ScaleReward(IEnv inner, double scale) : base(inner)
    {
        if (!double.IsFinite(scale)) throw new ArgumentOutOfRangeException(nameof(scale), scale, "must be finite");
        Scale = scale;
    }

    /// <summary>The factor applied to rewards.</summary>
    public double Scale { get; set; }

    protected override void WriteWrapperState(BinaryWriter writer) => writer.Write(Scale);

    protected override void ReadWrapperState(BinaryReader reader) => Scale = reader.ReadDouble();

    public override StepResult Step(int action)
    {
        StepResult r = Inner.Step(action);
        return r with { Reward = r.Reward * Scale };
    }
}
