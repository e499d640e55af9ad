namespace RLRegularity.Envs.Core;

/// <summary>
/// Scales rewards by the running standard deviation of the discounted return, as Gymnasium's <c>NormalizeReward</c>
/// and SB3's <c>VecNormalize</c> (reward part). The mean is not subtracted, so the sign of rewards is kept.
/// </summary>
public sealed class NormalizeReward : EnvWrapper
{
    private double _discountedReturn;

    /// <summary>Wraps <paramref name="inner"/> with discount <paramref name="gamma"/>.</summary>
    public NormalizeReward(IEnv inner, double gamma = 0.99, double epsilon = 1e-8) : base(inner)
    {
        if (!(gamma >= 0 && gamma <= 1)) throw new ArgumentOutOfRangeException(nameof(gamma), gamma, "must be in [0, 1]");
        if (!(epsilon > 0)) throw new ArgumentOutOfRangeException(nameof(epsilon), epsilon, "must be positive");
        Gamma = gamma;
        Epsilon = epsilon;
    }

    /// <summary>The discount of the return whose spread scales rewards.</summary>
    public double Gamma { get; }

    /// <summary>Added to the variance before the square root.</summary>
    public double Epsilon { get; }

    /// <summary>Running statistics of the discounted return.</summary>
    public RunningMeanStd ReturnStatistics { get; } = new(1);

    /// <summary>When true, rewards are scaled with the current statistics without updating them.</summary>
    public bool Frozen { get; set; }

    protected override void WriteWrapperState(BinaryWriter writer)
    {
        ReturnStatistics.Write(writer);
        writer.Write(_discountedReturn);
    }

    protected override void ReadWrapperState(BinaryReader reader)
    {
        ReturnStatistics.Read(reader);
        _discountedReturn = reader.ReadDouble();
    }

    public override ResetResult Reset(long? seed = null, IReadOnlyDictionary<string, object>? options = null)
    {
        _discountedReturn = 0;
        return Inner.Reset(seed, options);
    }

    public override StepResult Step(int action)
    {
        StepResult r = Inner.Step(action);
        _discountedReturn = _discountedReturn * Gamma * (r.Terminated ? 0 : 1) + r.Reward;
        if (!Frozen) ReturnStatistics.Update(_discountedReturn);
        return r with { Reward = r.Reward / Math.Sqrt(ReturnStatistics.Variance[0] + Epsilon) };
    }
}
