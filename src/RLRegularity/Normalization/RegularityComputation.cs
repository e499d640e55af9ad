using System.Numerics.Tensors;

namespace RLRegularity.Normalization;

/// <summary>
/// One call of an RN-family layer computed in double precision on a copy of the activations (SPEC §2–5): the merged
/// statistics, log-likelihoods, evidence, COMP and code lengths, and the factors of the code lengths' input gradient
/// (the full gradient through the code length, SPEC §2.10), which <see cref="RegularityScaleNode"/> applies.
/// </summary>
/// <remarks>
/// With ℓ_i = −(x_i−μ)²/(2σ²) − ½ln σ² − ½ln 2π, S_u = LSE_{i∈u} ℓ_i, C_u = LSE(C_prev,u, S_u), l_u = C_u − S_u,
/// softmax weights p_i = exp(ℓ_i − S_u), w_u = exp(S_u − C_u), dμ/dx_j = a and dσ²/dx_j = k₁(x_j − m_b) + k₀:
/// ∂l_u/∂x_j = c_u [−p_j (x_j−μ)/σ² 1(j∈u) + A_u a + B_u (k₁(x_j−m_b)+k₀)], with c_u = w_u − 1 in training (COMP
/// depends on S) and −1 in eval, A_u = Σ_{i∈u} p_i (x_i−μ)/σ², B_u = Σ_{i∈u} p_i ((x_i−μ)²/(2σ⁴) − 1/(2σ²)).
/// Then ∂L/∂x_j = g_j scale_j + Σ_u G_u ∂l_u/∂x_j with G_u = Σ_{i: l_u scales i} g_i x_i (the node's backward).
/// Every per-element pass is a SIMD span operation (<see cref="TensorPrimitives"/>); per-unit RN works row by row on
/// vectors of the units. The activations are row-major [Rows, Cols]; a unit of per-unit RN is a column.
/// </remarks>
internal sealed class RegularityComputation
{
    private static readonly double HalfLog2Pi = 0.5 * Math.Log(2 * Math.PI);

    public required int Rows { get; init; }
    public required int Cols { get; init; }
    public required bool PerUnit { get; init; }
    public required bool Train { get; init; }

    /// <summary>The activations (double copy), row-major, length Rows·Cols; empty in the float32 arithmetic, which reads them in place.</summary>
    public double[] X { get; init; } = [];

    /// <summary>Work arrays of X's length, reused across calls of one layer (the call reads them only while it runs).</summary>
    public required RegularityScratch.Set Scratch { get; init; }

    public double Mu, Variance, BatchMean, DMu, K1, K0;
    public bool Degenerate;
    public double[] Evidence = [], CompNew = [], Lengths = [], Weight = [];

    /// <summary>True when the call scales its input (y = scale ⊙ x); false when y = x (degenerate call or probe).</summary>
    public bool Scales { get; private set; }

    /// <summary>Row scales with a prior (l − β ln s_b), else null.</summary>
    public double[]? RowScale;

    private int Units => PerUnit ? Cols : 1;

    // Scalar RN: the factor 1/Σe the softmax weights still need (per-unit RN normalizes them in Forward).
    private double _weightScale = 1;

    /// <summary>Runs the forward arithmetic with the layer's stored state; <paramref name="sum"/> is Σx when the caller has it.</summary>
    public void Forward(bool initialized, double mean, double std, long count, double[] comp, NormalizerOptions options,
                        double[]? prior, long refNumel, bool probe, double? sum = null)
    {
        long n = X.Length;
        double batchMean = (sum ?? TensorPrimitives.Sum<double>(X)) / n;
        double[] deviation = Scratch.Deviation;
        double batchVar = 0;
        if (Train)
        {
            TensorPrimitives.Subtract(X, batchMean, deviation);
            double ss = TensorPrimitives.SumOfSquares<double>(deviation);
            batchVar = n > 1 ? ss / (n - 1) : 0;
        }
        if (!MergeStatistics(initialized, batchMean, batchVar, n, mean, std, count, options)) return;

        int units = Units;
        double sigma = Math.Sqrt(Math.Max(Variance, 0));
        double twoVar = 2 * sigma * sigma;
        // x − μ, kept in the scratch for LengthGradient, and its square, in one pass.
        // ℓ_i − max_u ℓ = −(d_i² − min_u d²)/(2σ²): the max-shift of the LSE taken on the squared deviations.
        double[] p = Scratch.Weights;
        FusedPasses.DeviationAndSquare(X, Mu, deviation, p);
        var minSquare = new double[units];
        var sums = new double[units];
        if (PerUnit)
        {
            p.AsSpan(0, Cols).CopyTo(minSquare);
            for (int r = 1; r < Rows; r++) TensorPrimitives.Min(p.AsSpan(r * Cols, Cols), minSquare, minSquare);
            for (int r = 0; r < Rows; r++)
            {
                Span<double> row = p.AsSpan(r * Cols, Cols);
                TensorPrimitives.Subtract(row, minSquare, row);
            }
            if (FusedPasses.ExpMatches(p.Length))
            {
                FusedPasses.ShiftScaleExp(p, 0, -1 / twoVar); // (p + 0)·f is p·f, but for the sign of a zero, whose exp is 1 either way
            }
            else
            {
                TensorPrimitives.Multiply(p, -1 / twoVar, p);
                TensorPrimitives.Exp(p, p);
            }
            for (int r = 0; r < Rows; r++) TensorPrimitives.Add(p.AsSpan(r * Cols, Cols), sums, sums);
        }
        else
        {
            minSquare[0] = TensorPrimitives.Min<double>(p);
            if (FusedPasses.ExpMatches(p.Length))
            {
                FusedPasses.ShiftScaleExp(p, -minSquare[0], -1 / twoVar);
            }
            else
            {
                TensorPrimitives.Add(p, -minSquare[0], p);
                TensorPrimitives.Multiply(p, -1 / twoVar, p);
                TensorPrimitives.Exp(p, p);
            }
            sums[0] = TensorPrimitives.Sum<double>(p);
        }
        // One pass of exponentials serves both the evidence (S_u = max + ln Σe) and the softmax weights (p_i = e_i / Σe).
        Evidence = new double[units];
        for (int u = 0; u < units; u++) Evidence[u] = EvidenceOf(minSquare[u], sums[u]);
        if (PerUnit)
        {
            TensorPrimitives.Reciprocal(sums, sums);
            for (int r = 0; r < Rows; r++)
            {
                Span<double> row = p.AsSpan(r * Cols, Cols);
                TensorPrimitives.Multiply(row, sums, row);
            }
        }
        else
        {
            // Normalized lazily: only the gradient reads the weights, and calls without one (target networks,
            // rollouts) skip the pass. LengthGradient applies the same multiplication first.
            _weightScale = 1 / sums[0];
        }
        CodeLengths(initialized, comp, options, prior, refNumel, n, probe);
    }

    /// <summary>
    /// <see cref="Forward"/> in <see cref="RegularityArithmetic.Fast"/> arithmetic, for scalar RN on float32 activations
    /// <paramref name="x"/> (read in place, never copied): two passes (<see cref="Float32Passes"/>; three when the exact
    /// shift is needed) instead of about fifteen. With <paramref name="gradient"/> it also keeps the exponentials and the
    /// Jacobian's factors, which <see cref="Float32Gradient"/> turns into the input gradient.
    /// </summary>
    public void ForwardFloat32(ReadOnlySpan<float> x, bool initialized, double mean, double std, long count, double[] comp,
                               NormalizerOptions options, double[]? prior, long refNumel, bool probe, bool gradient)
    {
        if (PerUnit) throw new InvalidOperationException("the float32 arithmetic serves scalar RN only");
        long n = x.Length;
        (double shift, double shiftedSum, double shiftedSquares) = Float32Passes.ShiftedSums(x);
        double batchMean = shift + shiftedSum / n;
        double batchVar = n > 1 ? Math.Max(shiftedSquares - shiftedSum * shiftedSum / n, 0) / (n - 1) : 0;
        if (!MergeStatistics(initialized, batchMean, batchVar, n, mean, std, count, options)) return;

        float mu = (float)Mu, factor = (float)(1 / (2 * Variance));
        RegularityScratch.Set scratch = Scratch;
        Span<float> exps = gradient ? scratch.Exponentials.AsSpan(0, x.Length) : [];
        if (gradient) scratch.ExponentialsVersion++;
        // The LSE's shift: 0 (every term ≤ 1) saves the pass that finds min d². Only when the batch lies so far from μ that
        // even its largest term is below e^−40 (every element beyond about 9σ) is the exact shift found and the pass redone.
        float minSquare = 0;
        (double sumE, double sumED, double sumED2) = Float32Passes.Exponentials(x, mu, minSquare, factor, exps, gradient);
        if (!(sumE >= SmallestUnshiftedSum))
        {
            minSquare = Float32Passes.MinSquaredDeviation(x, mu);
            (sumE, sumED, sumED2) = Float32Passes.Exponentials(x, mu, minSquare, factor, exps, gradient);
        }
        Evidence = [EvidenceOf(minSquare, sumE)];
        CodeLengths(initialized, comp, options, prior, refNumel, n, probe);
        if (!gradient || !Scales) return;
        // The Jacobian's factors from the three sums (p = e/Σe); α is divided by Σe once here, so J reads e unnormalized.
        (double ca, double cb, double alpha) = GradientFactors(Weight[0], sumED / sumE, sumED2 / sumE);
        Float32Gradient = new Float32CodeLengthGradient(mu, minSquare, factor, (float)(alpha / sumE), (float)ca, (float)cb, (float)Lengths[0],
            RowScale is null ? null : [.. RowScale.Select(l => (float)l)], scratch, scratch.ExponentialsVersion);
    }

    // e^−40: below it, the terms of an unshifted sum have lost precision to the clamp at e^−87 relative to the largest.
    private static readonly double SmallestUnshiftedSum = Math.Exp(-40);

    /// <summary>What the fast arithmetic's backward needs (set by <see cref="ForwardFloat32"/> when asked for the gradient).</summary>
    public Float32CodeLengthGradient? Float32Gradient { get; private set; }

    // The merged statistics (SPEC §2.2) from the batch's mean and variance, with the derivatives the gradient needs;
    // false when σ is below sigma_min (a degenerate call: no scores).
    private bool MergeStatistics(bool initialized, double batchMean, double batchVar, long n, double mean, double std, long count, NormalizerOptions options)
    {
        BatchMean = batchMean;
        if (Train)
        {
            if (!initialized)
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
        return !Degenerate;
    }

    // S = max ℓ + ln Σe, with max ℓ = −min d²/(2σ²) − ln σ − ½ ln 2π.
    private double EvidenceOf(double minSquare, double sumOfExponentials)
    {
        double sigma = Math.Sqrt(Math.Max(Variance, 0));
        return -minSquare / (2 * sigma * sigma) - Math.Log(sigma) - HalfLog2Pi + Math.Log(sumOfExponentials);
    }

    // COMP, the code lengths and the prior's row scales from the evidence (SPEC §2.5–2.8, §5.3).
    private void CodeLengths(bool initialized, double[] comp, NormalizerOptions options, double[]? prior, long refNumel, long n, bool probe)
    {
        bool first = !initialized;
        int units = Units;
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
        if (prior is not null)
        {
            RowScale = [.. prior.Select(s => Lengths[0] - options.PriorStrength * Math.Log(s))];
            // A uniform prior of 1 (one reward class, e.g. CartPole's +1 everywhere) scales every row by l itself: the
            // scalar path then gives exactly rn's output and gradient (the per-row path sums the same terms in another order).
            if (Array.TrueForAll(RowScale, l => l == Lengths[0])) RowScale = null;
        }
        Scales = !probe;
    }

    /// <summary>
    /// The code lengths' gradient, in the form the autograd graph needs: ∂l_u/∂x_j = Q_j 1(j∈u) + CA_u + CB_u·x_j, with
    /// Q_j = −c_u p_j (x_j−μ)/σ², CA_u = c_u (A_u a + B_u (k₀ − k₁ m_b)) and CB_u = c_u B_u k₁ (see the remarks).
    /// </summary>
    /// <remarks>Q is the scratch gradient array: valid until the layer's next call.</remarks>
    public (double[] Q, double[] CA, double[] CB) LengthGradient()
    {
        (double[] q, double[] ca, double[] cb, double[] alpha) = LengthGradientFactors();
        if (PerUnit)
        {
            for (int r = 0; r < Rows; r++)
            {
                Span<double> row = q.AsSpan(r * Cols, Cols);
                TensorPrimitives.Multiply(row, alpha, row);
            }
        }
        else
        {
            TensorPrimitives.Multiply(q, alpha[0], q);
        }
        return (q, ca, cb);
    }

    /// <summary>
    /// Scalar RN's Jacobian of the code length, J_j = Q_j + CA + CB·x_j, rounded to T into <paramref name="jacobian"/>:
    /// the same numbers as <see cref="LengthGradient"/> followed by J = x·CB + Q, J += CA and the conversion, in one pass.
    /// </summary>
    public void ScalarJacobian<T>(Span<T> jacobian) where T : unmanaged, System.Numerics.IFloatingPointIeee754<T>
    {
        if (PerUnit) throw new InvalidOperationException("per-unit RN has no single Jacobian per element; use LengthGradient");
        (double[] q, double[] ca, double[] cb, double[] alpha) = LengthGradientFactors();
        int n = Rows * Cols;
        FusedPasses.Jacobian(q.AsSpan(0, n), alpha[0], X.AsSpan(0, n), cb[0], ca[0], jacobian);
    }

    // Everything of the code lengths' gradient but Q's final scaling by alpha: Q unscaled (p ⊙ (x − μ)), CA, CB, alpha.
    private (double[] Q, double[] CA, double[] CB, double[] Alpha) LengthGradientFactors()
    {
        int units = Units;
        double variance = Variance;
        // pd = p ⊙ (x − μ); A_u = Σ pd / σ²; B_u = Σ pd ⊙ (x − μ) / (2σ⁴) − 1/(2σ²) (the p_i of a unit sum to 1).
        double[] q = Scratch.Gradient, deviation = Scratch.Deviation;
        if (PerUnit) TensorPrimitives.Multiply(Scratch.Weights, deviation, q);
        else FusedPasses.ScaledProduct(Scratch.Weights, _weightScale, deviation, q);
        var A = new double[units];
        var B = new double[units];
        if (PerUnit)
        {
            for (int r = 0; r < Rows; r++)
            {
                int o = r * Cols;
                TensorPrimitives.Add(q.AsSpan(o, Cols), A, A);
                TensorPrimitives.MultiplyAdd(q.AsSpan(o, Cols), deviation.AsSpan(o, Cols), B, B);
            }
        }
        else
        {
            A[0] = TensorPrimitives.Sum<double>(q);
            B[0] = TensorPrimitives.Dot<double>(q, deviation);
        }
        var ca = new double[units];
        var cb = new double[units];
        var alpha = new double[units];
        for (int u = 0; u < units; u++) (ca[u], cb[u], alpha[u]) = GradientFactors(Weight[u], A[u], B[u]);
        return (q, ca, cb, alpha);
    }

    // A unit's CA, CB and α (see the remarks) from its softmax-weighted deviations A = Σp·(x − μ) and B = Σp·(x − μ)²;
    // both arithmetics form them here.
    private (double CA, double CB, double Alpha) GradientFactors(double weight, double weightedDeviation, double weightedSquare)
    {
        double variance = Variance;
        double c = Train ? weight - 1 : -1;
        double a = weightedDeviation / variance, b = weightedSquare / (2 * variance * variance) - 1 / (2 * variance);
        return (c * (a * DMu + b * (K0 - K1 * BatchMean)), c * b * K1, -c / variance);
    }
}

/// <summary>
/// The fast arithmetic's input gradient of one call, dx = G·J + g·scale with J = A·e·(x − μ) + CA + CB·x (A already
/// divided by Σe): its factors, and where the exponentials e are. The layer's scratch holds them until the layer's next
/// call of the same size (<see cref="Version"/> tells); after that the backward computes them again, to the same bits.
/// </summary>
internal sealed record Float32CodeLengthGradient(float Mu, float MinSquare, float Factor, float A, float CA, float CB, float Scale, float[]? RowScales,
                                                 RegularityScratch.Set Scratch, long Version)
{
    /// <summary>dx for the call's input <paramref name="x"/> and output gradient <paramref name="g"/> ([rows, cols], row-major).</summary>
    public void InputGradient(ReadOnlySpan<float> x, ReadOnlySpan<float> g, int cols, Span<float> dx)
    {
        int n = x.Length;
        ReadOnlySpan<float> exps;
        if (Scratch.ExponentialsVersion == Version)
        {
            exps = Scratch.Exponentials.AsSpan(0, n);
        }
        else
        {
            var again = new float[n];
            Float32Passes.Exponentials(x, Mu, MinSquare, Factor, again, weighted: false);
            exps = again;
        }
        float total = (float)Float32Passes.Dot(g, x);
        Float32Passes.InputGradient(x, g, exps, cols, Scale, RowScales ?? [], Mu, A, CA, CB, total, dx);
    }
}
