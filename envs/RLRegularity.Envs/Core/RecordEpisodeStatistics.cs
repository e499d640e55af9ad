using System.Diagnostics;

namespace RLRegularity.Envs.Core;

/// <summary>
/// Reports the return, length and wall time of each finished episode in <see cref="EnvInfo.Episode"/> on its last
/// step, and keeps the most recent ones, as Gymnasium's <c>RecordEpisodeStatistics</c>.
/// </summary>
public sealed class RecordEpisodeStatistics : EnvWrapper
{
    private readonly Queue<EpisodeStatistics> _recent;
    private double _return;
    private int _length;
    private long _startTimestamp;

    /// <summary>Wraps <paramref name="inner"/>, keeping the last <paramref name="bufferLength"/> episodes.</summary>
    public RecordEpisodeStatistics(IEnv inner, int bufferLength = 100) : base(inner)
    {
        if (bufferLength <= 0) throw new ArgumentOutOfRangeException(nameof(bufferLength), bufferLength, "must be positive");
        BufferLength = bufferLength;
        _recent = new Queue<EpisodeStatistics>(bufferLength);
    }

    /// <summary>How many recent episodes are kept.</summary>
    public int BufferLength { get; }

    /// <summary>The most recent finished episodes, oldest first.</summary>
    public IReadOnlyCollection<EpisodeStatistics> RecentEpisodes => _recent;

    /// <summary>Episodes finished since the wrapper was created.</summary>
    public long EpisodeCount { get; private set; }

    /// <summary>Sets the running episode's return and length, for restoring a checkpoint written when its owner, not this
    /// wrapper, kept them (the inner chain's state is read separately, with <see cref="EnvState.Read"/> on <see cref="EnvWrapper.Inner"/>).</summary>
    public void ContinueEpisode(double returnSoFar, int lengthSoFar)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(lengthSoFar);
        _return = returnSoFar;
        _length = lengthSoFar;
        _startTimestamp = Stopwatch.GetTimestamp();
    }

    /// <summary>Saves the running episode's return and length (wall time restarts on restore).</summary>
    protected override void WriteWrapperState(BinaryWriter writer)
    {
        writer.Write(_return);
        writer.Write(_length);
        writer.Write(EpisodeCount);
    }

    protected override void ReadWrapperState(BinaryReader reader)
    {
        _return = reader.ReadDouble();
        _length = reader.ReadInt32();
        EpisodeCount = reader.ReadInt64();
        _startTimestamp = Stopwatch.GetTimestamp();
    }

    public override ResetResult Reset(long? seed = null, IReadOnlyDictionary<string, object>? options = null)
    {
        _return = 0;
        _length = 0;
        _startTimestamp = Stopwatch.GetTimestamp();
        return Inner.Reset(seed, options);
    }

    public override StepResult Step(int action)
    {
        StepResult r = Inner.Step(action);
        _return += r.Reward;
        _length++;
        if (r.Terminated || r.Truncated)
        {
            var stats = new EpisodeStatistics(_return, _length, Stopwatch.GetElapsedTime(_startTimestamp).TotalSeconds);
            r.Info.Episode = stats;
            if (_recent.Count == BufferLength) _recent.Dequeue();
            _recent.Enqueue(stats);
            EpisodeCount++;
        }
        return r;
    }
}
