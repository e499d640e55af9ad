namespace RLRegularity.Statistics;

/// <summary>
/// The loss-of-plasticity diagnostics of one layer's features, on plain arrays (docs/PLASTICITY.md): τ-dormant units
/// (Sokar et al., ICML 2023), effective rank (Roy and Vetterli, 2007), srank (Kumar et al., ICLR 2021) and the RMS of
/// weights and of their distance from the initial weights. The singular values come from the caller's SVD.
/// </summary>
public static class PlasticityMetrics
{
    /// <summary>
    /// Each unit's score s_i = mean_b |h_bi| / ((1/U) Σ_j mean_b |h_bj|) (Sokar et al., eq. 1) for the row-major
    /// [<paramref name="rows"/>, units] activations <paramref name="activations"/>. A layer whose every activation is 0
    /// scores every unit 0 (each unit is as dead as the layer).
    /// </summary>
    public static double[] UnitScores(ReadOnlySpan<double> activations, int rows)
    {
        if (rows <= 0 || activations.Length == 0 || activations.Length % rows != 0)
            throw new ArgumentException($"{activations.Length} values are not [rows = {rows}, units] activations", nameof(activations));
        int units = activations.Length / rows;
        var scores = new double[units];
        for (int b = 0; b < rows; b++)
        {
            ReadOnlySpan<double> row = activations.Slice(b * units, units);
            for (int i = 0; i < units; i++) scores[i] += Math.Abs(row[i]);
        }
        double layerMean = 0;
        for (int i = 0; i < units; i++)
        {
            scores[i] /= rows;
            layerMean += scores[i];
        }
        layerMean /= units;
        for (int i = 0; i < units; i++) scores[i] = layerMean > 0 ? scores[i] / layerMean : 0;
        return scores;
    }

    /// <summary>The fraction of units whose score (<see cref="UnitScores"/>) is ≤ <paramref name="tau"/>: τ-dormant units.</summary>
    public static double DormantFraction(ReadOnlySpan<double> scores, double tau)
    {
        if (scores.IsEmpty) throw new ArgumentException("a layer has at least one unit", nameof(scores));
        int dormant = 0;
        foreach (double s in scores) dormant += s <= tau ? 1 : 0;
        return dormant / (double)scores.Length;
    }

    /// <summary>
    /// exp(H(p)) with p_k = σ_k / Σ σ (Roy and Vetterli, 2007): between 1 (rank one) and the number of nonzero singular
    /// values (all equal). 0 for a zero matrix.
    /// </summary>
    public static double EffectiveRank(ReadOnlySpan<double> singularValues)
    {
        double total = Sum(singularValues);
        if (total <= 0) return 0;
        double entropy = 0;
        foreach (double s in singularValues)
        {
            if (s <= 0) continue;
            double p = s / total;
            entropy -= p * Math.Log(p);
        }
        return Math.Exp(entropy);
    }

    /// <summary>
    /// srank_δ = min{k : Σ_{i≤k} σ_(i) ≥ (1 − δ) Σ σ} over the singular values in decreasing order (Kumar et al., 2021),
    /// with <paramref name="fraction"/> = 1 − δ (0.99 in the paper). 0 for a zero matrix.
    /// </summary>
    public static int Srank(ReadOnlySpan<double> singularValues, double fraction = 0.99)
    {
        if (!(fraction > 0 && fraction <= 1)) throw new ArgumentOutOfRangeException(nameof(fraction), fraction, "the fraction must be in (0, 1]");
        double[] sorted = singularValues.ToArray();
        Array.Sort(sorted, (a, b) => b.CompareTo(a));
        double total = Sum(sorted);
        if (total <= 0) return 0;
        // A relative slack of 1e-12 keeps rounding in the running sum from missing an exact boundary (99 of 100 equal values).
        double needed = fraction * total * (1 - 1e-12);
        double cumulative = 0;
        for (int k = 0; k < sorted.Length; k++)
        {
            cumulative += sorted[k];
            if (cumulative >= needed) return k + 1;
        }
        return sorted.Length;
    }

    /// <summary>sqrt(mean(w²)).</summary>
    public static double Rms(ReadOnlySpan<double> values)
    {
        if (values.IsEmpty) throw new ArgumentException("no values", nameof(values));
        double sum = 0;
        foreach (double v in values) sum += v * v;
        return Math.Sqrt(sum / values.Length);
    }

    /// <summary>sqrt(mean((w − w₀)²)): how far weights moved from <paramref name="initial"/>.</summary>
    public static double RmsDistance(ReadOnlySpan<double> values, ReadOnlySpan<double> initial)
    {
        if (values.Length != initial.Length) throw new ArgumentException($"{values.Length} values against {initial.Length} initial values");
        if (values.IsEmpty) throw new ArgumentException("no values", nameof(values));
        double sum = 0;
        for (int i = 0; i < values.Length; i++)
        {
            double d = values[i] - initial[i];
            sum += d * d;
        }
        return Math.Sqrt(sum / values.Length);
    }

    private static double Sum(ReadOnlySpan<double> values)
    {
        double sum = 0;
        foreach (double v in values) sum += v;
        return sum;
    }
}
