namespace RLRegularity.Normalization;

/// <summary>
/// One call of an RN-family layer computed in double precision on a copy of the activations (SPEC §2–5): the merged
/// statistics, log-likelihoods, evidence, COMP and code lengths, the per-element scale, and the analytic input gradient
/// of y = scale ⊙ x (the full gradient through the code length, SPEC §2.10, or the scale alone with stop-gradient).
/// </summary>
/// <remarks>
/// With ℓ_i = −(x_i−μ)²/(2σ²) − ½ln σ² − ½ln 2π, S_u = LSE_{i∈u} ℓ_i, C_u = LSE(C_prev,u, S_u), l_u = C_u − S_u,
/// softmax weights p_i = exp(ℓ_i − S_u), w_u = exp(S_u − C_u), dμ/dx_j = a and dσ²/dx_j = k₁(x_j − m_b) + k₀:
/// ∂l_u/∂x_j = c_u [−p_j (x_j−μ)/σ² 1(j∈u) + A_u a + B_u (k₁(x_j−m_b)+k₀)], with c_u = w_u − 1 in training (COMP
/// depends on S) and −1 in eval, A_u = Σ_{i∈u} p_i (x_i−μ)/σ², B_u = Σ_{i∈u} p_i ((x_i−μ)²/(2σ⁴) − 1/(2σ²)).
/// Then ∂L/∂x_j = g_j scale_j + Σ_u G_u ∂l_u/∂x_j with G_u = Σ_{i: l_u scales i} g_i x_i.
/// </remarks>
internal sealed class RegularityComputation
{
    private static readonly double HalfLog2Pi = 0.5 * Math.Log(2 * Math.PI);

    public required int Rows { get; init; }
    public required int Cols { get; init; }
    public required bool PerUnit { get; init; }
    public required bool Train { get; init; }

    /// <summary>The activations (double copy), then overwritten by nothing; kept for the backward pass.</summary>
    public required double[] X { get; init; }

    public double Mu, Variance, BatchMean, DMu, K1, K0;
    public bool Degenerate;
    public double[] Evidence = [], CompNew = [], Lengths = [], Weight = [], P = [];

    /// <summary>The per-element scale of y = scale ⊙ x (length Rows·Cols), or null when y = x.</summary>
    public double[]? Scale;

    /// <summary>Row scales with a prior (l − β ln s_b), else null.</summary>
    public double[]? RowScale;

    private int Units => PerUnit ? Cols : 1;
    private int UnitOf(int i) => PerUnit ? i % Cols : 0;

    /// <summary>Runs the forward arithmetic with the layer's stored state.</summary>
    public void Forward(bool initialized, double mean, double std, long count, double[] comp, NormalizerOptions options,
                        double[]? prior, long refNumel, bool probe)
    {
        long n = X.Length;
        bool first = !initialized;
        double batchMean = 0;
        foreach (double e in X) batchMean += e;
        batchMean /= n;
        BatchMean = batchMean;
        if (Train)
        {
            double ss = 0;
            foreach (double e in X) ss += (e - batchMean) * (e - batchMean);
            double batchVar = n > 1 ? ss / (n - 1) : 0;
            if (first)
            {
                Mu = batchMean;
                Variance = batchVar;
                DMu = 1.0 / n;
                K1 = n > 1 ? 2.0 / (n - 1) : 0;
                K0 = 0;
            }
            else
            {
                // History weight: all-time count, or decayed by the half-life (SPEC §7 item 2).
                double h = options.HistoryHalfLife is double halfLife ? count * Math.Pow(0.5, n / halfLife) : count;
                Mu = (batchMean * n + mean * h) / (h + n);
                DMu = 1.0 / (h + n);
                if (options.HistoryMerge == HistoryMerge.Pooled)
                {
                    double d = h + n - 2;
                    Variance = d > 0 ? ((h - 1) * (std * std) + (n - 1) * batchVar) / d : 0;
                    K1 = d > 0 && n > 1 ? 2.0 / d : 0;
                    K0 = 0;
                }
                else
                {
                    double d = h + n - 1, delta = batchMean - mean;
                    Variance = d > 0 ? ((h - 1) * (std * std) + (n - 1) * batchVar + delta * delta * (h * n / (h + n))) / d : 0;
                    K1 = d > 0 ? 2.0 / d : 0;
                    K0 = d > 0 ? 2.0 * delta * h / (h + n) / d : 0;
                }
            }
        }
        else
        {
            Mu = mean;
            Variance = std * std;
            DMu = K1 = K0 = 0;
        }

        double sigma = Math.Sqrt(Math.Max(Variance, 0));
        Degenerate = !(sigma >= options.SigmaMin);
        if (Degenerate) return;

        int units = Units;
        double logSigma = Math.Log(sigma), twoVar = 2 * sigma * sigma;
        P = new double[X.Length];
        var max = new double[units];
        Array.Fill(max, double.NegativeInfinity);
        for (int i = 0; i < X.Length; i++)
        {
            double lp = -(X[i] - Mu) * (X[i] - Mu) / twoVar - logSigma - HalfLog2Pi;
            P[i] = lp;
            if (lp > max[UnitOf(i)]) max[UnitOf(i)] = lp;
        }
        // One pass of exponentials serves both the evidence (S_u = max + ln Σe) and the softmax weights (p_i = e_i / Σe).
        var sums = new double[units];
        for (int i = 0; i < X.Length; i++)
        {
            double e = Math.Exp(P[i] - max[UnitOf(i)]);
            P[i] = e;
            sums[UnitOf(i)] += e;
        }
        Evidence = new double[units];
        for (int u = 0; u < units; u++) Evidence[u] = max[u] + Math.Log(sums[u]);
        for (int i = 0; i < X.Length; i++) P[i] /= sums[UnitOf(i)];

        double[] evidenceUsed = Evidence;
        if (!Train && options.SizeInvariantEvidence && refNumel > 0)
            evidenceUsed = [.. Evidence.Select(s => s + Math.Log(refNumel / (double)n))];
        CompNew = new double[units];
        Lengths = new double[units];
        Weight = new double[units];
        for (int u = 0; u < units; u++)
        {
            double previous = comp.Length == units ? comp[u] : comp[0];
            if (Train)
            {
                if (!first && options.ComplexityDecay < 1) previous += Math.Log(options.ComplexityDecay);
                if (first) previous = 0;
                double m = Math.Max(previous, evidenceUsed[u]);
                CompNew[u] = m + Math.Log(Math.Exp(previous - m) + Math.Exp(evidenceUsed[u] - m));
                Weight[u] = Math.Exp(evidenceUsed[u] - CompNew[u]);
            }
            else
            {
                CompNew[u] = previous;
                Weight[u] = 0; // COMP does not depend on the batch in eval mode: dl/dS = −1
            }
            Lengths[u] = CompNew[u] - evidenceUsed[u];
        }
        if (prior is not null) RowScale = [.. prior.Select(s => Lengths[0] - options.PriorStrength * Math.Log(s))];
        if (probe) return;
        Scale = new double[X.Length];
        for (int i = 0; i < X.Length; i++) Scale[i] = RowScale is not null ? RowScale[i / Cols] : Lengths[UnitOf(i)];
    }

    /// <summary>∂L/∂x for upstream gradient <paramref name="g"/> (row-major, like X).</summary>
    public double[] Backward(double[] g, bool stopGradient)
    {
        var grad = new double[X.Length];
        if (Scale is null)
        {
            Array.Copy(g, grad, g.Length); // y = x (degenerate, pass-through or probe)
            return grad;
        }
        for (int i = 0; i < X.Length; i++) grad[i] = g[i] * Scale[i];
        if (stopGradient) return grad;

        int units = Units;
        double variance = Variance, twoVarSquared = 2 * variance * variance, twoVar = 2 * variance;
        var G = new double[units];
        var A = new double[units];
        var B = new double[units];
        for (int i = 0; i < X.Length; i++)
        {
            int u = UnitOf(i);
            double d = X[i] - Mu;
            G[u] += g[i] * X[i];
            A[u] += P[i] * d / variance;
            B[u] += P[i] * (d * d / twoVarSquared - 1 / twoVar);
        }
        double sumA = 0, sumB = 0;
        var c = new double[units];
        for (int u = 0; u < units; u++)
        {
            c[u] = Train ? Weight[u] - 1 : -1;
            sumA += G[u] * c[u] * A[u];
            sumB += G[u] * c[u] * B[u];
        }
        for (int i = 0; i < X.Length; i++)
        {
            int u = UnitOf(i);
            double d = X[i] - Mu;
            grad[i] += G[u] * c[u] * (-P[i] * d / variance) + sumA * DMu + sumB * (K1 * (X[i] - BatchMean) + K0);
        }
        return grad;
    }
}
