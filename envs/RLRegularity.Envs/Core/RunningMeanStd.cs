namespace RLRegularity.Envs.Core;

/// <summary>
/// Running mean and variance of vectors, merged batch by batch with Chan et al.'s parallel rule (as SB3's
/// <c>RunningMeanStd</c>); the count starts at a small epsilon so the first update dominates, as in SB3.
/// </summary>
public sealed class RunningMeanStd
{
    /// <summary>Creates statistics of <paramref name="size"/>-element vectors.</summary>
    public RunningMeanStd(int size, double initialCount = 1e-4)
    {
        if (size <= 0) throw new ArgumentOutOfRangeException(nameof(size), size, "must be positive");
        Mean = new double[size];
        Variance = new double[size];
        Array.Fill(Variance, 1.0);
        Count = initialCount;
    }

    /// <summary>Per-element mean.</summary>
    public double[] Mean { get; }

    /// <summary>Per-element (population) variance.</summary>
    public double[] Variance { get; }

    /// <summary>The (fractional) number of vectors seen.</summary>
    public double Count { get; set; }

    /// <summary>Merges one vector.</summary>
    public void Update(ReadOnlySpan<float> x)
    {
        if (x.Length != Mean.Length) throw new ArgumentException($"expected {Mean.Length} elements, got {x.Length}");
        double total = Count + 1;
        for (int i = 0; i < Mean.Length; i++)
        {
            double delta = x[i] - Mean[i];
            double newMean = Mean[i] + delta / total;
            // M2 merge with a batch of one (batch variance 0).
            double m2 = Variance[i] * Count + delta * delta * Count / total;
            Mean[i] = newMean;
            Variance[i] = m2 / total;
        }
        Count = total;
    }

    /// <summary>Merges one scalar (for 1-element statistics such as discounted returns).</summary>
    public void Update(double x)
    {
        if (Mean.Length != 1) throw new InvalidOperationException("scalar update on vector statistics");
        double total = Count + 1;
        double delta = x - Mean[0];
        double m2 = Variance[0] * Count + delta * delta * Count / total;
        Mean[0] += delta / total;
        Variance[0] = m2 / total;
        Count = total;
    }

    /// <summary>Writes the statistics (for checkpoints).</summary>
    public void Write(BinaryWriter writer)
    {
        writer.Write(Mean.Length);
        writer.Write(Count);
        foreach (double m in Mean) writer.Write(m);
        foreach (double v in Variance) writer.Write(v);
    }

    /// <summary>Reads statistics written by <see cref="Write"/> (same size).</summary>
    public void Read(BinaryReader reader)
    {
        int size = reader.ReadInt32();
        if (size != Mean.Length) throw new InvalidDataException($"saved statistics have {size} elements, expected {Mean.Length}");
        Count = reader.ReadDouble();
        for (int i = 0; i < size; i++) Mean[i] = reader.ReadDouble();
        for (int i = 0; i < size; i++) Variance[i] = reader.ReadDouble();
    }

    /// <summary>Copies all statistics from <paramref name="other"/> (same size).</summary>
    public void CopyFrom(RunningMeanStd other)
    {
        if (other.Mean.Length != Mean.Length) throw new ArgumentException("statistics of different sizes");
        other.Mean.CopyTo(Mean, 0);
        other.Variance.CopyTo(Variance, 0);
        Count = other.Count;
    }
}
