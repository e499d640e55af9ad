using RLRegularity.Envs.Core;
using RLRegularity.Envs.Rendering;

namespace RLRegularity.Envs.ClassicControl;

/// <summary>
/// Acrobot-v1 exactly as Gymnasium 1.x: a two-link pendulum actuated at the joint (torque −1, 0, +1), "book" dynamics
/// integrated with one RK4 step per <c>dt</c>; reward −1 per step and 0 on the terminating step; termination when the
/// free end rises above the bar (−cos θ₁ − cos(θ₁+θ₂) &gt; 1). Physical parameters are settable.
/// </summary>
public sealed class AcrobotEnv : Env, IPhysicalStateEnv, IParameterizedEnv, IRenderableEnv
{
    private static readonly string[] StateVariableNames = ["theta1", "theta2", "dtheta1", "dtheta2"];
    private static readonly string[] ParameterNameList =
        ["gravity", "link_length_1", "link_length_2", "link_mass_1", "link_mass_2", "link_com_pos_1", "link_com_pos_2",
         "link_moi", "dt", "torque_noise_max", "max_vel_1", "max_vel_2"];
    private static readonly double[] AvailableTorque = [-1.0, 0.0, 1.0];
    private static readonly DiscreteSpace Actions = new(3);

    private readonly double[] _parameters = [9.8, 1.0, 1.0, 1.0, 1.0, 0.5, 0.5, 1.0, 0.2, 0.0, 4 * Math.PI, 9 * Math.PI];
    private BoxSpace _observationSpace;
    private double _theta1, _theta2, _dTheta1, _dTheta2;

    /// <summary>Creates the environment with Gymnasium's default parameters.</summary>
    public AcrobotEnv() : base(6) => _observationSpace = MakeObservationSpace();

    private BoxSpace MakeObservationSpace()
    {
        float[] high = [1, 1, 1, 1, (float)MaxVel1, (float)MaxVel2];
        float[] low = [.. high.Select(h => -h)];
        return new BoxSpace(low, high, [6]);
    }

    public override Space ObservationSpace => _observationSpace;
    public override DiscreteSpace ActionSpace => Actions;

    /// <summary>Gravitational acceleration (m/s²), default 9.8.</summary>
    public double Gravity { get => _parameters[0]; set => _parameters[0] = CartPoleEnv.CheckFinite(nameof(Gravity), value); }
    /// <summary>Length of link 1 (m), default 1.</summary>
    public double LinkLength1 { get => _parameters[1]; set => _parameters[1] = CartPoleEnv.CheckPositive(nameof(LinkLength1), value); }
    /// <summary>Length of link 2 (m), default 1. Gymnasium's dynamics do not use it (only the rendering does); kept for completeness.</summary>
    public double LinkLength2 { get => _parameters[2]; set => _parameters[2] = CartPoleEnv.CheckPositive(nameof(LinkLength2), value); }
    /// <summary>Mass of link 1 (kg), default 1.</summary>
    public double LinkMass1 { get => _parameters[3]; set => _parameters[3] = CartPoleEnv.CheckPositive(nameof(LinkMass1), value); }
    /// <summary>Mass of link 2 (kg), default 1.</summary>
    public double LinkMass2 { get => _parameters[4]; set => _parameters[4] = CartPoleEnv.CheckPositive(nameof(LinkMass2), value); }
    /// <summary>Position of link 1's centre of mass along it (m), default 0.5.</summary>
    public double LinkComPos1 { get => _parameters[5]; set => _parameters[5] = CartPoleEnv.CheckPositive(nameof(LinkComPos1), value); }
    /// <summary>Position of link 2's centre of mass along it (m), default 0.5.</summary>
    public double LinkComPos2 { get => _parameters[6]; set => _parameters[6] = CartPoleEnv.CheckPositive(nameof(LinkComPos2), value); }
    /// <summary>Moment of inertia of each link (kg·m²), default 1.</summary>
    public double LinkMoi { get => _parameters[7]; set => _parameters[7] = CartPoleEnv.CheckPositive(nameof(LinkMoi), value); }
    /// <summary>Time step (s) of one action, default 0.2.</summary>
    public double Dt { get => _parameters[8]; set => _parameters[8] = CartPoleEnv.CheckPositive(nameof(Dt), value); }
    /// <summary>Uniform noise added to the torque, ± this bound; default 0.</summary>
    public double TorqueNoiseMax
    {
        get => _parameters[9];
        set => _parameters[9] = double.IsFinite(value) && value >= 0 ? value : throw new ArgumentOutOfRangeException(nameof(TorqueNoiseMax), value, "must be a finite number >= 0");
    }
    /// <summary>Clip of θ̇₁ (rad/s), default 4π.</summary>
    public double MaxVel1 { get => _parameters[10]; set { _parameters[10] = CartPoleEnv.CheckPositive(nameof(MaxVel1), value); _observationSpace = MakeObservationSpace(); } }
    /// <summary>Clip of θ̇₂ (rad/s), default 9π.</summary>
    public double MaxVel2 { get => _parameters[11]; set { _parameters[11] = CartPoleEnv.CheckPositive(nameof(MaxVel2), value); _observationSpace = MakeObservationSpace(); } }

    protected override void ResetCore(IReadOnlyDictionary<string, object>? options)
    {
        double low = OptionOrDefault(options, "low", -0.1);
        double high = OptionOrDefault(options, "high", 0.1);
        if (!(low <= high)) throw new ArgumentException($"reset bounds must satisfy low <= high, got [{low}, {high}]", nameof(options));
        // Gymnasium draws the state in float64 and stores it as float32.
        _theta1 = (float)Random.Uniform(low, high);
        _theta2 = (float)Random.Uniform(low, high);
        _dTheta1 = (float)Random.Uniform(low, high);
        _dTheta2 = (float)Random.Uniform(low, high);
        WriteObservation();
    }

    protected override (double Reward, bool Terminated, bool Truncated) StepCore(int action)
    {
        double torque = AvailableTorque[action];
        if (TorqueNoiseMax > 0) torque += Random.Uniform(-TorqueNoiseMax, TorqueNoiseMax);

        // One classical RK4 step over [0, dt] (Gymnasium's rk4 with t = [0, dt]).
        double dt = Dt, dt2 = dt / 2.0;
        double y0 = _theta1, y1 = _theta2, y2 = _dTheta1, y3 = _dTheta2;
        Derivatives(torque, y0, y1, y2, y3, out double k1a, out double k1b, out double k1c, out double k1d);
        Derivatives(torque, y0 + dt2 * k1a, y1 + dt2 * k1b, y2 + dt2 * k1c, y3 + dt2 * k1d, out double k2a, out double k2b, out double k2c, out double k2d);
        Derivatives(torque, y0 + dt2 * k2a, y1 + dt2 * k2b, y2 + dt2 * k2c, y3 + dt2 * k2d, out double k3a, out double k3b, out double k3c, out double k3d);
        Derivatives(torque, y0 + dt * k3a, y1 + dt * k3b, y2 + dt * k3c, y3 + dt * k3d, out double k4a, out double k4b, out double k4c, out double k4d);
        double n0 = y0 + dt / 6.0 * (k1a + 2 * k2a + 2 * k3a + k4a);
        double n1 = y1 + dt / 6.0 * (k1b + 2 * k2b + 2 * k3b + k4b);
        double n2 = y2 + dt / 6.0 * (k1c + 2 * k2c + 2 * k3c + k4c);
        double n3 = y3 + dt / 6.0 * (k1d + 2 * k2d + 2 * k3d + k4d);

        _theta1 = Wrap(n0, -Math.PI, Math.PI);
        _theta2 = Wrap(n1, -Math.PI, Math.PI);
        _dTheta1 = Math.Min(Math.Max(n2, -MaxVel1), MaxVel1);
        _dTheta2 = Math.Min(Math.Max(n3, -MaxVel2), MaxVel2);

        bool terminated = -NumpyMath.Cos(_theta1) - NumpyMath.Cos(_theta2 + _theta1) > 1.0;
        WriteObservation();
        return (terminated ? 0.0 : -1.0, terminated, false);
    }

    // Gymnasium's _dsdt with book_or_nips = "book".
    private void Derivatives(double a, double theta1, double theta2, double dtheta1, double dtheta2,
                             out double d0, out double d1Out, out double d2Out, out double d3Out)
    {
        double m1 = LinkMass1, m2 = LinkMass2, l1 = LinkLength1, lc1 = LinkComPos1, lc2 = LinkComPos2;
        double i1 = LinkMoi, i2 = LinkMoi, g = Gravity;
        double d1 = m1 * lc1 * lc1 + m2 * (l1 * l1 + lc2 * lc2 + 2 * l1 * lc2 * NumpyMath.Cos(theta2)) + i1 + i2;
        double d2 = m2 * (lc2 * lc2 + l1 * lc2 * NumpyMath.Cos(theta2)) + i2;
        double phi2 = m2 * lc2 * g * NumpyMath.Cos(theta1 + theta2 - Math.PI / 2.0);
        double phi1 = -m2 * l1 * lc2 * dtheta2 * dtheta2 * NumpyMath.Sin(theta2)
                      - 2 * m2 * l1 * lc2 * dtheta2 * dtheta1 * NumpyMath.Sin(theta2)
                      + (m1 * lc1 + m2 * l1) * g * NumpyMath.Cos(theta1 - Math.PI / 2) + phi2;
        double ddtheta2 = (a + d2 / d1 * phi1 - m2 * l1 * lc2 * dtheta1 * dtheta1 * NumpyMath.Sin(theta2) - phi2)
                          / (m2 * lc2 * lc2 + i2 - d2 * d2 / d1);
        double ddtheta1 = -(d2 * ddtheta2 + phi1) / d1;
        d0 = dtheta1;
        d1Out = dtheta2;
        d2Out = ddtheta1;
        d3Out = ddtheta2;
    }

    // Gymnasium's wrap: shift by whole periods until inside [m, M].
    private static double Wrap(double x, double m, double big)
    {
        double diff = big - m;
        while (x > big) x -= diff;
        while (x < m) x += diff;
        return x;
    }

    private void WriteObservation()
    {
        Observation[0] = (float)NumpyMath.Cos(_theta1);
        Observation[1] = (float)NumpyMath.Sin(_theta1);
        Observation[2] = (float)NumpyMath.Cos(_theta2);
        Observation[3] = (float)NumpyMath.Sin(_theta2);
        Observation[4] = (float)_dTheta1;
        Observation[5] = (float)_dTheta2;
    }

    protected override void WriteCoreState(BinaryWriter writer)
    {
        foreach (double v in (double[])[_theta1, _theta2, _dTheta1, _dTheta2]) writer.Write(v);
        foreach (double p in _parameters) writer.Write(p);
    }

    protected override void ReadCoreState(BinaryReader reader)
    {
        _theta1 = reader.ReadDouble(); _theta2 = reader.ReadDouble(); _dTheta1 = reader.ReadDouble(); _dTheta2 = reader.ReadDouble();
        for (int i = 0; i < _parameters.Length; i++) _parameters[i] = reader.ReadDouble();
        _observationSpace = MakeObservationSpace();
    }

    public IReadOnlyList<string> StateNames => StateVariableNames;

    /// <summary>15 frames per second, as Gymnasium's Acrobot.</summary>
    public int RenderFps => 15;

    public RgbImage Render()
    {
        Span<double> state = stackalloc double[4];
        GetState(state);
        return ClassicControlRendering.Acrobot(state[0], state[1], LinkLength1, LinkLength2);
    }

    public void GetState(Span<double> destination)
    {
        if (destination.Length < 4) throw new ArgumentException("Acrobot's state has 4 values", nameof(destination));
        destination[0] = _theta1; destination[1] = _theta2; destination[2] = _dTheta1; destination[3] = _dTheta2;
    }

    public void SetState(ReadOnlySpan<double> state)
    {
        if (state.Length != 4) throw new ArgumentException($"Acrobot's state has 4 values (theta1, theta2, dtheta1, dtheta2), got {state.Length}", nameof(state));
        for (int i = 0; i < 4; i++)
        {
            if (!double.IsFinite(state[i])) throw new ArgumentException($"state value {StateVariableNames[i]} is not finite: {state[i]}", nameof(state));
        }
        _theta1 = state[0]; _theta2 = state[1]; _dTheta1 = state[2]; _dTheta2 = state[3];
        WriteObservation();
    }

    public IReadOnlyList<string> ParameterNames => ParameterNameList;

    public double GetParameter(string name) => _parameters[IndexOf(name)];

    public void SetParameter(string name, double value)
    {
        switch (IndexOf(name))
        {
            case 0: Gravity = value; break;
            case 1: LinkLength1 = value; break;
            case 2: LinkLength2 = value; break;
            case 3: LinkMass1 = value; break;
            case 4: LinkMass2 = value; break;
            case 5: LinkComPos1 = value; break;
            case 6: LinkComPos2 = value; break;
            case 7: LinkMoi = value; break;
            case 8: Dt = value; break;
            case 9: TorqueNoiseMax = value; break;
            case 10: MaxVel1 = value; break;
            default: MaxVel2 = value; break;
        }
    }

    private static int IndexOf(string name)
    {
        int i = Array.IndexOf(ParameterNameList, name);
        return i >= 0 ? i : throw new ArgumentException($"Acrobot has no parameter '{name}'. Known parameters: {string.Join(", ", ParameterNameList)}", nameof(name));
    }
}
