using RLRegularity.Records;

namespace RLRegularity.Agents.Common;

/// <summary>A learning curve binned over steps: the mean return of the episodes that finished in each bin.</summary>
/// <param name="BinEnd">The last step of each bin.</param>
/// <param name="MeanReturn">Mean return of the episodes finished in the bin (NaN when none did).</param>
/// <param name="Episodes">Episodes finished in the bin.</param>
public sealed record LearningCurve(long[] BinEnd, double[] MeanReturn, int[] Episodes)
{
    /// <summary>Reads a run's episodes.csv and bins it into <paramref name="bins"/> equal step ranges up to <paramref name="totalSteps"/>.</summary>
    public static LearningCurve FromEpisodesCsv(string path, long totalSteps, int bins = 10)
    {
        var sums = new double[bins];
        var counts = new int[bins];
        foreach (EpisodeRow episode in CsvSchema<EpisodeRow>.ReadAll(path))
        {
            int bin = (int)Math.Min(bins - 1, Math.Max(0, (episode.GlobalStep - 1) * bins / Math.Max(1, totalSteps)));
            sums[bin] += episode.Return;
            counts[bin]++;
        }
        var ends = Enumerable.Range(1, bins).Select(i => totalSteps * i / bins).ToArray();
        var means = Enumerable.Range(0, bins).Select(i => counts[i] > 0 ? sums[i] / counts[i] : double.NaN).ToArray();
        return new LearningCurve(ends, means, counts);
    }
}
