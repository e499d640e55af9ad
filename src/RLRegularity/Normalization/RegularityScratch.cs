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

    /// <summary>Arrays of one length, each made on first use: the reference arithmetic's activations, their deviations,
    /// the softmax weights and the gradient (float64); the fast arithmetic's exponentials (float32).</summary>
    public sealed class Set(int length)
    {
        private double[]? _values, _deviation, _weights, _gradient;
        private float[]? _exponentials;

        public double[] Values => _values ??= new double[length];
        public double[] Deviation => _deviation ??= new double[length];
        public double[] Weights => _weights ??= new double[length];
        public double[] Gradient => _gradient ??= new double[length];
        public float[] Exponentials => _exponentials ??= new float[length];

        /// <summary>Counts the writes of <see cref="Exponentials"/>, so that a backward can tell whether they are still its call's.</summary>
        public long ExponentialsVersion { get; set; }
    }
}
