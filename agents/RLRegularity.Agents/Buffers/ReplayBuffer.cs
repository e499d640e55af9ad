using RLRegularity.Envs.Core;

namespace RLRegularity.Agents.Buffers;

/// <summary>
/// A uniform experience-replay ring buffer with preallocated, contiguous storage (one row per transition), as
/// CleanRL's and SB3's <c>ReplayBuffer</c>. Stores the true next observation of each transition, so truncated
/// episodes are bootstrapped and terminated ones are not.
/// </summary>
public sealed class ReplayBuffer
{
    private readonly float[] _observations;
    private readonly float[] _nextObservations;
    private readonly int[] _actions;
    private readonly float[] _rewards;
    private readonly bool[] _terminated;
    private int _next;

    /// <summary>Allocates room for <paramref name="capacity"/> transitions of <paramref name="observationSize"/>-float observations.</summary>
    public ReplayBuffer(int capacity, int observationSize)
    {
        if (capacity <= 0) throw new ArgumentOutOfRangeException(nameof(capacity), capacity, "must be positive");
        if (observationSize <= 0) throw new ArgumentOutOfRangeException(nameof(observationSize), observationSize, "must be positive");
        Capacity = capacity;
        ObservationSize = observationSize;
        _observations = new float[(long)capacity * observationSize];
        _nextObservations = new float[(long)capacity * observationSize];
        _actions = new int[capacity];
        _rewards = new float[capacity];
        _terminated = new bool[capacity];
    }

    /// <summary>Maximum number of transitions; the oldest is overwritten when full.</summary>
    public int Capacity { get; }

    /// <summary>Floats per observation.</summary>
    public int ObservationSize { get; }

    /// <summary>Transitions currently stored.</summary>
    public int Count { get; private set; }

    /// <summary>Stores one transition; <paramref name="terminated"/> is true only for MDP terminations (not truncations).</summary>
    public void Add(ReadOnlySpan<float> observation, int action, double reward, ReadOnlySpan<float> nextObservation, bool terminated)
    {
        int o = _next * ObservationSize;
        observation[..ObservationSize].CopyTo(_observations.AsSpan(o, ObservationSize));
        nextObservation[..ObservationSize].CopyTo(_nextObservations.AsSpan(o, ObservationSize));
        _actions[_next] = action;
        _rewards[_next] = (float)reward;
        _terminated[_next] = terminated;
        _next = (_next + 1) % Capacity;
        if (Count < Capacity) Count++;
    }

    /// <summary>Fills <paramref name="batch"/> with transitions drawn uniformly with replacement.</summary>
    public void Sample(Rng rng, ReplayBatch batch)
    {
        if (Count == 0) throw new InvalidOperationException("cannot sample from an empty replay buffer");
        for (int i = 0; i < batch.Size; i++)
        {
            int j = rng.NextInt(Count);
            int src = j * ObservationSize, dst = i * ObservationSize;
            Array.Copy(_observations, src, batch.Observations, dst, ObservationSize);
            Array.Copy(_nextObservations, src, batch.NextObservations, dst, ObservationSize);
            batch.Actions[i] = _actions[j];
            batch.Rewards[i] = _rewards[j];
            batch.Terminated[i] = _terminated[j] ? 1f : 0f;
        }
    }

    /// <summary>Writes the contents (for checkpoints).</summary>
    public void Save(BinaryWriter writer)
    {
        writer.Write(Capacity);
        writer.Write(ObservationSize);
        writer.Write(Count);
        writer.Write(_next);
        for (int i = 0; i < Count; i++)
        {
            for (int k = 0; k < ObservationSize; k++) writer.Write(_observations[i * ObservationSize + k]);
            for (int k = 0; k < ObservationSize; k++) writer.Write(_nextObservations[i * ObservationSize + k]);
            writer.Write(_actions[i]);
            writer.Write(_rewards[i]);
            writer.Write(_terminated[i]);
        }
    }

    /// <summary>Restores contents written by <see cref="Save"/> into a buffer of the same shape.</summary>
    public void Load(BinaryReader reader)
    {
        int capacity = reader.ReadInt32(), size = reader.ReadInt32();
        if (capacity != Capacity || size != ObservationSize)
            throw new InvalidDataException($"checkpoint replay buffer is {capacity}x{size}, this one is {Capacity}x{ObservationSize}");
        Count = reader.ReadInt32();
        _next = reader.ReadInt32();
        for (int i = 0; i < Count; i++)
        {
            for (int k = 0; k < ObservationSize; k++) _observations[i * ObservationSize + k] = reader.ReadSingle();
            for (int k = 0; k < ObservationSize; k++) _nextObservations[i * ObservationSize + k] = reader.ReadSingle();
            _actions[i] = reader.ReadInt32();
            _rewards[i] = reader.ReadSingle();
            _terminated[i] = reader.ReadBoolean();
        }
    }
}

/// <summary>A preallocated minibatch of transitions, refilled by <see cref="ReplayBuffer.Sample"/>.</summary>
public sealed class ReplayBatch
{
    /// <summary>Allocates a batch of <paramref name="size"/> transitions.</summary>
    public ReplayBatch(int size, int observationSize)
    {
        Size = size;
        Observations = new float[size * observationSize];
        NextObservations = new float[size * observationSize];
        Actions = new long[size];
        Rewards = new float[size];
        Terminated = new float[size];
    }

    public int Size { get; }
    public float[] Observations { get; }
    public float[] NextObservations { get; }
    /// <summary>Actions as 64-bit integers, ready to index a tensor.</summary>
    public long[] Actions { get; }
    public float[] Rewards { get; }
    /// <summary>1 where the transition terminated the episode, else 0.</summary>
    public float[] Terminated { get; }
}
