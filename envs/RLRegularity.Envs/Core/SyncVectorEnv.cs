namespace RLRegularity.Envs.Core;

/// <summary>
/// N copies of an environment stepped one after another in the calling thread, with batched, contiguous buffers
/// (Gymnasium's <c>SyncVectorEnv</c>, with SB3's autoreset convention).
/// </summary>
/// <remarks>
/// Autoreset: when copy i ends an episode (terminated or truncated) inside <see cref="Step"/>, it is reset at once;
/// <see cref="Observations"/> then holds the first observation of the new episode, the observation that ended the
/// episode is copied to <see cref="FinalObservations"/> with <see cref="HasFinalObservation"/>[i] set (SB3's
/// <c>terminal_observation</c>; needed to bootstrap truncated episodes), and <see cref="Infos"/>[i] holds the info of
/// that last step (episode statistics included). Buffers are allocated once; <see cref="Step"/> does not allocate.
/// </remarks>
public sealed class SyncVectorEnv : IDisposable
{
    private readonly IEnv[] _envs;

    /// <summary>Builds <paramref name="count"/> copies with <paramref name="factory"/>(i).</summary>
    public SyncVectorEnv(Func<int, IEnv> factory, int count)
        : this(Enumerable.Range(0, count > 0 ? count : throw new ArgumentOutOfRangeException(nameof(count), count, "need at least one environment")).Select(factory).ToArray())
    {
    }

    /// <summary>Batches the given environments, which must share observation and action spaces.</summary>
    public SyncVectorEnv(IReadOnlyList<IEnv> envs)
    {
        if (envs.Count == 0) throw new ArgumentException("need at least one environment", nameof(envs));
        _envs = [.. envs];
        SingleObservationSpace = _envs[0].ObservationSpace;
        SingleActionSpace = _envs[0].ActionSpace;
        for (int i = 1; i < _envs.Length; i++)
        {
            if (_envs[i].ObservationSpace.ToString() != SingleObservationSpace.ToString() || _envs[i].ActionSpace.N != SingleActionSpace.N)
                throw new ArgumentException($"environment {i} has spaces {_envs[i].ObservationSpace}/{_envs[i].ActionSpace}, " +
                                            $"but environment 0 has {SingleObservationSpace}/{SingleActionSpace}", nameof(envs));
        }
        // Drift schedules run on the global step: each copy's steps times the number of copies stepping in lockstep.
        foreach (IEnv env in _envs)
        {
            foreach (var drift in env.FindAll<NonStationary.NonStationaryWrapper>()) drift.CopyCount = _envs.Length;
        }
        ObservationSize = SingleObservationSpace.FlatSize;
        Observations = new float[Count * ObservationSize];
        FinalObservations = new float[Count * ObservationSize];
        HasFinalObservation = new bool[Count];
        Rewards = new double[Count];
        Terminated = new bool[Count];
        Truncated = new bool[Count];
        Infos = new EnvInfo[Count];
        for (int i = 0; i < Count; i++) Infos[i] = new EnvInfo();
    }

    /// <summary>The number of copies.</summary>
    public int Count => _envs.Length;

    /// <summary>The copies, in order.</summary>
    public IReadOnlyList<IEnv> Envs => _envs;

    /// <summary>Floats per observation.</summary>
    public int ObservationSize { get; }

    /// <summary>The observation space of one copy.</summary>
    public Space SingleObservationSpace { get; }

    /// <summary>The action space of one copy.</summary>
    public DiscreteSpace SingleActionSpace { get; }

    /// <summary>Current observations, row-major [Count, ObservationSize].</summary>
    public float[] Observations { get; }

    /// <summary>Last observations of episodes that ended in the latest step, row-major [Count, ObservationSize].</summary>
    public float[] FinalObservations { get; }

    /// <summary>Whether copy i ended an episode in the latest step (its row of <see cref="FinalObservations"/> is valid).</summary>
    public bool[] HasFinalObservation { get; }

    /// <summary>Rewards of the latest step.</summary>
    public double[] Rewards { get; }

    /// <summary>Termination flags of the latest step.</summary>
    public bool[] Terminated { get; }

    /// <summary>Truncation flags of the latest step.</summary>
    public bool[] Truncated { get; }

    /// <summary>Infos of the latest step (of the episode's last step when it ended).</summary>
    public EnvInfo[] Infos { get; }

    /// <summary>
    /// Wraps every copy whose outermost layer is not a <see cref="RecordEpisodeStatistics"/> in one (outermost, so it
    /// sees time-limit truncations), so <see cref="Infos"/>[i].Episode holds the return and length of each episode on its
    /// last step, as Gymnasium's <c>RecordEpisodeStatistics</c> does for a vector env. Call before the first
    /// <see cref="Reset"/>; the wrappers' running totals are part of <see cref="WriteState"/> from then on.
    /// </summary>
    public void RecordEpisodeStatistics()
    {
        for (int i = 0; i < _envs.Length; i++)
        {
            if (_envs[i] is not Core.RecordEpisodeStatistics) _envs[i] = new Core.RecordEpisodeStatistics(_envs[i]);
        }
    }

    /// <summary>The observation row of copy <paramref name="i"/>.</summary>
    public Span<float> Observation(int i) => Observations.AsSpan(i * ObservationSize, ObservationSize);

    /// <summary>Resets every copy; with a seed, copy i is seeded <paramref name="seed"/> + i (Gymnasium's rule).</summary>
    public void Reset(long? seed = null, IReadOnlyDictionary<string, object>? options = null)
    {
        for (int i = 0; i < _envs.Length; i++)
        {
            ResetResult r = _envs[i].Reset(seed.HasValue ? seed.Value + i : null, options);
            r.Observation.AsSpan(0, ObservationSize).CopyTo(Observation(i));
            Infos[i].CopyFrom(r.Info);
            HasFinalObservation[i] = false;
            Rewards[i] = 0;
            Terminated[i] = Truncated[i] = false;
        }
    }

    /// <summary>Steps every copy with its action, resetting copies whose episode ended (see the remarks).</summary>
    public void Step(ReadOnlySpan<int> actions)
    {
        if (actions.Length != _envs.Length)
            throw new ArgumentException($"expected {_envs.Length} actions, got {actions.Length}", nameof(actions));
        for (int i = 0; i < _envs.Length; i++)
        {
            StepResult r = _envs[i].Step(actions[i]);
            Rewards[i] = r.Reward;
            Terminated[i] = r.Terminated;
            Truncated[i] = r.Truncated;
            Infos[i].CopyFrom(r.Info);
            bool done = r.Terminated || r.Truncated;
            HasFinalObservation[i] = done;
            if (done)
            {
                r.Observation.AsSpan(0, ObservationSize).CopyTo(FinalObservations.AsSpan(i * ObservationSize, ObservationSize));
                ResetResult reset = _envs[i].Reset();
                reset.Observation.AsSpan(0, ObservationSize).CopyTo(Observation(i));
            }
            else
            {
                r.Observation.AsSpan(0, ObservationSize).CopyTo(Observation(i));
            }
        }
    }

    /// <summary>Writes every copy's state and the current observations (for exact resumption).</summary>
    public void WriteState(BinaryWriter writer)
    {
        writer.Write(Count);
        foreach (IEnv env in _envs) EnvState.Write(env, writer);
        foreach (float v in Observations) writer.Write(v);
    }

    /// <summary>Restores a state written by <see cref="WriteState"/> into copies built the same way.</summary>
    public void ReadState(BinaryReader reader)
    {
        int count = reader.ReadInt32();
        if (count != Count) throw new InvalidDataException($"saved vector environment has {count} copies, this one has {Count}");
        foreach (IEnv env in _envs) EnvState.Read(env, reader);
        for (int i = 0; i < Observations.Length; i++) Observations[i] = reader.ReadSingle();
        Array.Clear(HasFinalObservation);
    }

    public void Dispose()
    {
        foreach (IEnv env in _envs) env.Dispose();
    }
}
