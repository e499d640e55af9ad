namespace RLRegularity.Agents.Comparison;

/// <summary>One Slurm job array of a study: array index i runs manifest cell <see cref="Offset"/> + i.</summary>
/// <param name="Job">The array job id.</param>
/// <param name="Offset">The manifest index of array index 0.</param>
/// <param name="Cells">The manifest indices it runs.</param>
public sealed record SlurmArray(string Job, int Offset, IReadOnlyList<int> Cells)
{
    /// <summary>
    /// Splits the cells to run into arrays whose indices stay below <paramref name="maxArraySize"/> (Slurm's MaxArraySize
    /// bounds the index, not the count): cells [k·max, (k+1)·max) go to array k with offset k·max. Returns each chunk's
    /// offset, its cells and its <c>--array</c> value (ranges, then <c>%throttle</c>).
    /// </summary>
    public static IReadOnlyList<(int Offset, int[] Cells, string Spec)> Plan(IEnumerable<int> cells, int maxArraySize, int throttle) =>
        [.. cells.Order().GroupBy(c => c / maxArraySize).Select(g =>
        {
            int offset = g.Key * maxArraySize;
            int[] members = [.. g];
            return (offset, members, $"{Ranges(members.Select(c => c - offset))}%{throttle}");
        })];

    // 0,1,2,5,7,8 → "0-2,5,7-8".
    private static string Ranges(IEnumerable<int> sorted)
    {
        var parts = new List<string>();
        int? start = null, last = null;
        foreach (int i in sorted)
        {
            if (last is int l && i == l + 1)
            {
                last = i;
                continue;
            }
            if (start is int s) parts.Add(s == last ? $"{s}" : $"{s}-{last}");
            start = last = i;
        }
        if (start is int s2) parts.Add(s2 == last ? $"{s2}" : $"{s2}-{last}");
        return string.Join(',', parts);
    }
}
