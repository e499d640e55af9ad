using RLRegularity.Envs.Core;

namespace RLRegularity.Envs.NonStationary;

/// <summary>Multiplies rewards by the schedule's value.</summary>
public sealed class RewardScaleDrift(IEnv inner, DriftSchedule schedule) : NonStationaryWrapper(inner, schedule)
{
    protected override double TransformReward(double reward, double value) => reward * value;
}
