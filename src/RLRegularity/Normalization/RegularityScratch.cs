namespace RLRegularity.Normalization;

/// <summary>
/// The per-layer work arrays of RN calls, one set per activation size. A layer sees few sizes (acting batch, training
/// batch); reusing them keeps RN from allocating per call, which matters once a call's arrays reach the large-object
/// heap (more than 10,625 doubles, e.g. batch 256 × 64 units), where every allocation is costly and feeds full GCs.
/// </summary>
internal sealed class RegularityScratch
{
    private readonly Dictionary<int, Set> _sets = [];

    /// <summary>The arrays for <paramref name="length"/> activations (created on first use).</summary>
    public Set For(int length)
    {
        if (!_sets.TryGetValue(length, out Set? set))
        {
            set = new Set(length);
            _sets[length] = set;
        }
        return set;
    }

    /// <summary>Four arrays of one length: the activations, their deviations, the softmax weights and the gradient.</summary>
    public sealed class Set(int length)
    {
        public double[] Values { get; } = new double[length];
        public double[] Deviation { get; } = new double[length];
        public double[] Weights { get; } = new double[length];
        public double[] Gradient { get; } = new double[length];
    }
}
