namespace RLRegularity.Envs.Core;

/// <summary>An environment whose physical state can be read and written, so a trajectory can be replayed from any state.</summary>
public interface IPhysicalStateEnv
{
    /// <summary>The names of the state variables, in order (e.g. x, x_dot, theta, theta_dot).</summary>
    IReadOnlyList<string> StateNames { get; }

    /// <summary>Copies the current state into <paramref name="destination"/> (length <see cref="StateNames"/>.Count).</summary>
    void GetState(Span<double> destination);

    /// <summary>Overwrites the state, as assigning Gymnasium's <c>env.unwrapped.state</c>; the step counter is untouched.</summary>
    void SetState(ReadOnlySpan<double> state);
}

/// <summary>An environment with named, settable physical parameters (what the non-stationary tasks drive).</summary>
public interface IParameterizedEnv
{
    /// <summary>The names of the settable parameters.</summary>
    IReadOnlyList<string> ParameterNames { get; }

    /// <summary>The current value of a parameter; an unknown name is an error that lists the known ones.</summary>
    double GetParameter(string name);

    /// <summary>Sets a parameter, taking effect from the next step; invalid values are rejected with the valid range.</summary>
    void SetParameter(string name, double value);
}
