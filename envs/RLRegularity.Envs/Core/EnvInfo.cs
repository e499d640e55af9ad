namespace RLRegularity.Envs.Core;

/// <summary>
/// The info of a reset or step: named scalar values plus the statistics of an episode that just finished.
/// One instance is owned by each environment and cleared at every call, so steps do not allocate.
/// </summary>
public sealed class EnvInfo
{
    /// <summary>Named scalar values (e.g. the current value of a drift schedule).</summary>
    public Dictionary<string, double> Values { get; } = new(StringComparer.Ordinal);

    /// <summary>Set on the last step of an episode by <see cref="RecordEpisodeStatistics"/>; null otherwise.</summary>
    public EpisodeStatistics? Episode { get; set; }

    /// <summary>Forgets everything (called at the start of every reset and step).</summary>
    public void Clear()
    {
        if (Values.Count > 0) Values.Clear();
        Episode = null;
    }

    /// <summary>Copies the contents of <paramref name="other"/> into this info.</summary>
    public void CopyFrom(EnvInfo other)
    {
        Clear();
        foreach (var (key, value) in other.Values) Values[key] = value;
        Episode = other.Episode;
    }
}

/// <summary>The return, length and wall time of one finished episode.</summary>
public readonly record struct EpisodeStatistics(double Return, int Length, double ElapsedSeconds);
