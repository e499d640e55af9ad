using RLRegularity.Envs.Core;
using RLRegularity.Envs.Rendering;

namespace RLRegularity.Envs.ClassicControl;

/// <summary>
/// CartPole-v1 exactly as Gymnasium 1.x: a pole hinged on a cart pushed left (action 0) or right (action 1) with a
/// constant force, integrated with explicit Euler; +1 reward per step including the terminating one; termination when
/// |x| &gt; 2.4 or |θ| &gt; 12°. Physical parameters are settable (the non-stationary tasks drive them).
/// </summary>
public sealed class CartPoleEnv : Env, IPhysicalStateEnv, IParameterizedEnv, IRenderableEnv
{
    private static readonly string[] StateVariableNames = ["x", "x_dot", "theta", "theta_dot"];
    private static readonly string[] ParameterNameList = ["gravity", "masscart", "masspole", "length", "force_mag", "tau"];
    private static readonly BoxSpace ObservationBox = MakeObservationSpace();
    private static readonly DiscreteSpace Actions = new(2);

    /// <summary>Angle at which the episode terminates: 12 degrees, written as Gymnasium writes it.</summary>
    public const double ThetaThresholdRadians = 12 * 2 * Math.PI / 360;

    /// <summary>Cart position at which the episode terminates.</summary>
    public const double XThreshold = 2.4;

    private double _x, _xDot, _theta, _thetaDot;
    private double _gravity = 9.8, _massCart = 1.0, _massPole = 0.1, _length = 0.5, _forceMag = 10.0, _tau = 0.02;
    private double _totalMass, _poleMassLength;
    private int? _stepsBeyondTerminated;

    /// <summary>Creates the environment with Gymnasium's default parameters.</summary>
    public CartPoleEnv() : base(4) => UpdateDerived();

    private static BoxSpace MakeObservationSpace()
    {
        // Gymnasium: [2·x_threshold, inf, 2·θ_threshold, inf] as float32, symmetric.
        float[] high = [(float)(XThreshold * 2), float.MaxValue, (float)(ThetaThresholdRadians * 2), float.MaxValue];
        float[] low = [.. high.Select(h => -h)];
        return new BoxSpace(low, high, [4]);
    }

    public override Space ObservationSpace => ObservationBox;
    public override DiscreteSpace ActionSpace => Actions;

    /// <summary>Gravitational acceleration (m/s²), default 9.8.</summary>
    public double Gravity { get => _gravity; set => _gravity = CheckFinite(nameof(Gravity), value); }

    /// <summary>Mass of the cart (kg), default 1.0.</summary>
    public double MassCart { get => _massCart; set { _massCart = CheckPositive(nameof(MassCart), value); UpdateDerived(); } }

    /// <summary>Mass of the pole (kg), default 0.1.</summary>
    public double MassPole { get => _massPole; set { _massPole = CheckPositive(nameof(MassPole), value); UpdateDerived(); } }

    /// <summary>Half the pole's length (m), default 0.5 (Gymnasium's <c>length</c>).</summary>
    public double Length { get => _length; set { _length = CheckPositive(nameof(Length), value); UpdateDerived(); } }

    /// <summary>Magnitude of the push (N), default 10.</summary>
    public double ForceMag { get => _forceMag; set => _forceMag = CheckFinite(nameof(ForceMag), value); }

    /// <summary>Integration time step (s), default 0.02.</summary>
    public double Tau { get => _tau; set => _tau = CheckPositive(nameof(Tau), value); }

    private void UpdateDerived()
    {
        _totalMass = _massPole + _massCart;
        _poleMassLength = _massPole * _length;
    }

    protected override void ResetCore(IReadOnlyDictionary<string, object>? options)
    {
        // Gymnasium: uniform in [low, high] = [-0.05, 0.05] unless the options give other bounds.
        double low = OptionOrDefault(options, "low", -0.05);
        double high = OptionOrDefault(options, "high", 0.05);
        if (!(low <= high)) throw new ArgumentException($"reset bounds must satisfy low <= high, got [{low}, {high}]", nameof(options));
        _x = Random.Uniform(low, high);
        _xDot = Random.Uniform(low, high);
        _theta = Random.Uniform(low, high);
        _thetaDot = Random.Uniform(low, high);
        _stepsBeyondTerminated = null;
        WriteObservation();
    }

    protected override (double Reward, bool Terminated, bool Truncated) StepCore(int action)
    {
        double force = action == 1 ? _forceMag : -_forceMag;
        double cosTheta = NumpyMath.Cos(_theta);
        double sinTheta = NumpyMath.Sin(_theta);
        double temp = (force + _poleMassLength * (_thetaDot * _thetaDot) * sinTheta) / _totalMass;
        double thetaAcc = (_gravity * sinTheta - cosTheta * temp)
                          / (_length * (4.0 / 3.0 - _massPole * (cosTheta * cosTheta) / _totalMass));
        double xAcc = temp - _poleMassLength * thetaAcc * cosTheta / _totalMass;

        // Explicit Euler, in Gymnasium's order: positions use the old velocities.
        _x += _tau * _xDot;
        _xDot += _tau * xAcc;
        _theta += _tau * _thetaDot;
        _thetaDot += _tau * thetaAcc;

        bool terminated = _x < -XThreshold || _x > XThreshold || _theta < -ThetaThresholdRadians || _theta > ThetaThresholdRadians;
        double reward;
        if (!terminated) reward = 1.0;
        else if (_stepsBeyondTerminated is null)
        {
            _stepsBeyondTerminated = 0; // the pole just fell: this step still earns its reward
            reward = 1.0;
        }
        else
        {
            _stepsBeyondTerminated++; // stepping a finished episode: Gymnasium warns and gives 0
            reward = 0.0;
        }
        WriteObservation();
        return (reward, terminated, false);
    }

    private void WriteObservation()
    {
        Observation[0] = (float)_x;
        Observation[1] = (float)_xDot;
        Observation[2] = (float)_theta;
        Observation[3] = (float)_thetaDot;
    }

    protected override void WriteCoreState(BinaryWriter writer)
    {
        foreach (double v in (double[])[_x, _xDot, _theta, _thetaDot, _gravity, _massCart, _massPole, _length, _forceMag, _tau]) writer.Write(v);
        writer.Write(_stepsBeyondTerminated ?? -1);
    }

    protected override void ReadCoreState(BinaryReader reader)
    {
        _x = reader.ReadDouble(); _xDot = reader.ReadDouble(); _theta = reader.ReadDouble(); _thetaDot = reader.ReadDouble();
        _gravity = reader.ReadDouble(); _massCart = reader.ReadDouble(); _massPole = reader.ReadDouble();
        _length = reader.ReadDouble(); _forceMag = reader.ReadDouble(); _tau = reader.ReadDouble();
        int beyond = reader.ReadInt32();
        _stepsBeyondTerminated = beyond < 0 ? null : beyond;
        UpdateDerived();
    }

    public IReadOnlyList<string> StateNames => StateVariableNames;

    /// <summary>50 frames per second, as Gymnasium's CartPole.</summary>
    public int RenderFps => 50;

    public RgbImage Render()
    {
        Span<double> state = stackalloc double[4];
        GetState(state);
        return ClassicControlRendering.CartPole(state[0], state[2], Length);
    }

    public void GetState(Span<double> destination)
    {
        if (destination.Length < 4) throw new ArgumentException("CartPole's state has 4 values", nameof(destination));
        destination[0] = _x; destination[1] = _xDot; destination[2] = _theta; destination[3] = _thetaDot;
    }

    public void SetState(ReadOnlySpan<double> state)
    {
        if (state.Length != 4) throw new ArgumentException($"CartPole's state has 4 values (x, x_dot, theta, theta_dot), got {state.Length}", nameof(state));
        for (int i = 0; i < 4; i++)
        {
            if (!double.IsFinite(state[i])) throw new ArgumentException($"state value {StateVariableNames[i]} is not finite: {state[i]}", nameof(state));
        }
        _x = state[0]; _xDot = state[1]; _theta = state[2]; _thetaDot = state[3];
        _stepsBeyondTerminated = null;
        WriteObservation();
    }

    public IReadOnlyList<string> ParameterNames => ParameterNameList;

    public double GetParameter(string name) => name switch
    {
        "gravity" => Gravity,
        "masscart" => MassCart,
        "masspole" => MassPole,
        "length" => Length,
        "force_mag" => ForceMag,
        "tau" => Tau,
        _ => throw UnknownParameter(name),
    };

    public void SetParameter(string name, double value)
    {
        switch (name)
        {
            case "gravity": Gravity = value; break;
            case "masscart": MassCart = value; break;
            case "masspole": MassPole = value; break;
            case "length": Length = value; break;
            case "force_mag": ForceMag = value; break;
            case "tau": Tau = value; break;
            default: throw UnknownParameter(name);
        }
    }

    private static ArgumentException UnknownParameter(string name) =>
        new($"CartPole has no parameter '{name}'. Known parameters: {string.Join(", ", ParameterNameList)}", nameof(name));

    internal static double CheckFinite(string name, double value) =>
        double.IsFinite(value) ? value : throw new ArgumentOutOfRangeException(name, value, "must be a finite number");

    internal static double CheckPositive(string name, double value) =>
        double.IsFinite(value) && value > 0 ? value : throw new ArgumentOutOfRangeException(name, value, "must be a finite number > 0");
}
