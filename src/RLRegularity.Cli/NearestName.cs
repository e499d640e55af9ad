namespace RLRegularity.Cli;

/// <summary>"Did you mean ...?": the valid name closest to a mistyped one, by edit distance with transpositions.</summary>
internal static class NearestName
{
    /// <summary>
    /// The candidate closest to <paramref name="typed"/> (ignoring case), if it is close enough to be what was meant: at most
    /// max(2, length/3) edits away, or one that starts with what was typed (<c>CartPole</c> → <c>CartPole-v1</c>). Null otherwise.
    /// </summary>
    public static string? Find(string typed, IEnumerable<string> candidates)
    {
        string lower = typed.ToLowerInvariant();
        int threshold = Math.Max(2, typed.Length / 3);
        string? best = null;
        int bestDistance = int.MaxValue;
        foreach (string candidate in candidates)
        {
            string c = candidate.ToLowerInvariant();
            int distance = Distance(lower, c);
            bool close = distance <= threshold || (lower.Length >= 3 && c.StartsWith(lower, StringComparison.Ordinal));
            if (close && distance < bestDistance)
            {
                best = candidate;
                bestDistance = distance;
            }
        }
        return best;
    }

    // Optimal string alignment distance: insertions, deletions, substitutions and adjacent transpositions ("trian" → "train" is one edit).
    private static int Distance(string a, string b)
    {
        var d = new int[a.Length + 1, b.Length + 1];
        for (int i = 0; i <= a.Length; i++) d[i, 0] = i;
        for (int j = 0; j <= b.Length; j++) d[0, j] = j;
        for (int i = 1; i <= a.Length; i++)
        {
            for (int j = 1; j <= b.Length; j++)
            {
                int cost = a[i - 1] == b[j - 1] ? 0 : 1;
                d[i, j] = Math.Min(Math.Min(d[i - 1, j] + 1, d[i, j - 1] + 1), d[i - 1, j - 1] + cost);
                if (i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1]) d[i, j] = Math.Min(d[i, j], d[i - 2, j - 2] + 1);
            }
        }
        return d[a.Length, b.Length];
    }
}
