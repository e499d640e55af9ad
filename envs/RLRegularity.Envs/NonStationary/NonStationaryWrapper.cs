using RLRegularity.Envs.Core;

namespace RLRegularity.Envs.NonStationary;

/// <summary>
/// Base of the wrappers that change a task over time: counts this copy's steps across episodes, turns them into the
/// global step (copy steps × <see cref="CopyCount"/>, which a synchronous vector env of N copies sets to N), applies the
/// schedule's value before each step, and reports it in the step info as <c>schedule_value</c>.
/// </summary>
public abstract class NonStationaryWrapper : EnvWrapper
{
    /// <summary>The info key of the schedule's current value.</summary>
    public const string ScheduleValueKey = "schedule_value";

    private int _copyCount = 1;

    /// <summary>Wraps <paramref name="inner"/> with <paramref name="schedule"/>.</summary>
    protected NonStationaryWrapper(IEnv inner, DriftSchedule schedule) : base(inner) =>
        Schedule = schedule ?? throw new ArgumentNullException(nameof(schedule));

    /// <summary>What changes when.</summary>
    public DriftSchedule Schedule { get; }

    /// <summary>Steps taken by this copy since it was created (across episodes).</summary>
    public long CopySteps { get; private set; }

    /// <summary>Copies stepping in lockstep with this one (a vector environment's size); 1 for a single environment.</summary>
    public int CopyCount
    {
        get => _copyCount;
        set => _copyCount = value > 0 ? value : throw new ArgumentOutOfRangeException(nameof(value), value, "must be positive");
    }

    /// <summary>The global step the schedule is evaluated at: <see cref="HeldAt"/> if set, else this copy's steps times
    /// the number of copies.</summary>
    public long GlobalStep => HeldAt ?? CopySteps * _copyCount;

    /// <summary>Holds the schedule at this global step (null: it follows this copy's own steps). An evaluation copy of a
    /// training environment holds it at the training step it evaluates, so it plays the task as it is then.</summary>
    public long? HeldAt { get; set; }

    /// <summary>The schedule's current value.</summary>
    public double CurrentValue => Schedule.ValueAt(GlobalStep);

    public override ResetResult Reset(long? seed = null, IReadOnlyDictionary<string, object>? options = null)
    {
        double value = CurrentValue;
        Apply(value);
        ResetResult r = Active.Reset(seed, options);
        r.Info.Values[ScheduleValueKey] = value;
        return r with { Observation = TransformObservation(r.Observation, value) };
    }

    public override StepResult Step(int action)
    {
        double value = CurrentValue;
        Apply(value);
        StepResult r = Active.Step(TransformAction(action, value));
        CopySteps++;
        r.Info.Values[ScheduleValueKey] = value;
        return r with { Observation = TransformObservation(r.Observation, value), Reward = TransformReward(r.Reward, value) };
    }

    /// <summary>The environment that resets and steps now (the wrapped one, unless a subclass switches between several).</summary>
    protected virtual IEnv Active => Inner;

    /// <summary>Sets what the schedule drives in the environment (a physical parameter) before a reset or step.</summary>
    protected virtual void Apply(double value) { }

    /// <summary>Maps the agent's action to the environment's.</summary>
    protected virtual int TransformAction(int action, double value) => action;

    /// <summary>Transforms the observation (returning a wrapper-owned buffer if it changes it).</summary>
    protected virtual float[] TransformObservation(float[] observation, double value) => observation;

    /// <summary>Transforms the reward.</summary>
    protected virtual double TransformReward(double reward, double value) => reward;

    protected override void WriteWrapperState(BinaryWriter writer)
    {
        writer.Write(CopySteps);
        writer.Write(_copyCount);
    }

    protected override void ReadWrapperState(BinaryReader reader)
    {
        CopySteps = reader.ReadInt64();
        _copyCount = reader.ReadInt32();
    }
}
