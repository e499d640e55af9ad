using RLRegularity.Envs.Core;

namespace RLRegularity.Envs.NonStationary;

/// <summary>Drives a physical parameter (e.g. CartPole's <c>length</c>, Acrobot's <c>link_mass_2</c>) with a schedule.</summary>
public sealed class ParameterDrift : NonStationaryWrapper
{
    private readonly IParameterizedEnv _target;

    /// <summary>Wraps <paramref name="inner"/>, whose chain must contain an <see cref="IParameterizedEnv"/> with <paramref name="parameter"/>.</summary>
    public ParameterDrift(IEnv inner, string parameter, DriftSchedule schedule) : base(inner, schedule)
    {
        _target = inner.Find<IParameterizedEnv>() ?? (inner.Unwrapped as IParameterizedEnv)
                  ?? throw new ArgumentException($"{inner.Unwrapped.GetType().Name} has no settable physical parameters", nameof(inner));
        if (!_target.ParameterNames.Contains(parameter))
            throw new ArgumentException($"{inner.Unwrapped.GetType().Name} has no parameter '{parameter}'. Known parameters: {string.Join(", ", _target.ParameterNames)}", nameof(parameter));
        Parameter = parameter;
    }

    /// <summary>The driven parameter.</summary>
    public string Parameter { get; }

    protected override void Apply(double value) => _target.SetParameter(Parameter, value);
}
