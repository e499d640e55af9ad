using RLRegularity.Envs.Core;

namespace RLRegularity.Envs.NonStationary;

/// <summary>
/// Switches between two environments with the same observation and action spaces: episodes start in the first while
/// the schedule's value is below 0.5, in the second from then on (e.g. DistShift1 → DistShift2). The switch happens
/// at a reset, never inside an episode, because a world cannot change under the agent's feet mid-episode; an episode
/// running when the change step passes finishes in the old world.
/// </summary>
public class EnvSwitch : NonStationaryWrapper
{
    private bool _second;
    // The second environment takes the seed of the most recent seeded reset the first time it starts an episode, so
    // that a seeded run stays a function of its seed (an unseeded environment would draw from OS entropy).
    private long? _pendingSecondSeed;

    /// <summary>Switches from <paramref name="first"/> to <paramref name="second"/> as <paramref name="schedule"/> says.</summary>
    public EnvSwitch(IEnv first, IEnv second, DriftSchedule schedule) : base(first, schedule)
    {
        Second = second ?? throw new ArgumentNullException(nameof(second));
        if (!SameSpace(first.ObservationSpace, second.ObservationSpace))
            throw new ArgumentException($"both environments need the same observation space, got {first.ObservationSpace} and {second.ObservationSpace}", nameof(second));
        if (first.ActionSpace.N != second.ActionSpace.N)
            throw new ArgumentException($"both environments need the same action space, got {first.ActionSpace} and {second.ActionSpace}", nameof(second));
    }

    /// <summary>The environment used before the switch.</summary>
    public IEnv First => Inner;

    /// <summary>The environment used after the switch.</summary>
    public IEnv Second { get; }

    /// <summary>True once episodes run in <see cref="Second"/>.</summary>
    public bool InSecond => _second;

    protected override IEnv Active => _second ? Second : Inner;

    public override ResetResult Reset(long? seed = null, IReadOnlyDictionary<string, object>? options = null)
    {
        bool second = CurrentValue >= 0.5;
        if (seed is long s) _pendingSecondSeed = second ? null : s;
        else if (second && !_second && _pendingSecondSeed is long pending)
        {
            seed = pending;
            _pendingSecondSeed = null;
        }
        _second = second;
        return base.Reset(seed, options);
    }

    protected override void WriteWrapperState(BinaryWriter writer)
    {
        base.WriteWrapperState(writer);
        writer.Write(_second);
        writer.Write(_pendingSecondSeed.HasValue);
        writer.Write(_pendingSecondSeed ?? 0);
        EnvState.Write(Second, writer);
    }

    protected override void ReadWrapperState(BinaryReader reader)
    {
        base.ReadWrapperState(reader);
        _second = reader.ReadBoolean();
        bool hasPending = reader.ReadBoolean();
        long pending = reader.ReadInt64();
        _pendingSecondSeed = hasPending ? pending : null;
        EnvState.Read(Second, reader);
    }

    public override void Dispose()
    {
        Second.Dispose();
        base.Dispose();
    }

    private static bool SameSpace(Space a, Space b) =>
        a.GetType() == b.GetType() && a.Shape.SequenceEqual(b.Shape) && a.ToString() == b.ToString();
}
