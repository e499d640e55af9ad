namespace RLRegularity.Envs.Core;

/// <summary>The integers {start, …, start + n − 1}, as Gymnasium's <c>Discrete(n, start)</c>.</summary>
public sealed class DiscreteSpace : Space
{
    private static readonly int[] ScalarShape = [];

    /// <summary>Creates <c>Discrete(n, start)</c>; <paramref name="n"/> must be positive.</summary>
    public DiscreteSpace(int n, int start = 0)
    {
        if (n <= 0) throw new ArgumentOutOfRangeException(nameof(n), n, "a discrete space needs at least one element");
        N = n;
        Start = start;
    }

    /// <summary>The number of elements.</summary>
    public int N { get; }

    /// <summary>The smallest element.</summary>
    public int Start { get; }

    public override IReadOnlyList<int> Shape => ScalarShape;
    public override int FlatSize => 1;

    /// <summary>True if <paramref name="value"/> is one of the space's integers.</summary>
    public bool Contains(int value) => value >= Start && value < Start + N;

    public override bool Contains(ReadOnlySpan<float> value) =>
        value.Length == 1 && value[0] == MathF.Round(value[0]) && Contains((int)value[0]);

    /// <summary>A uniformly drawn element.</summary>
    public int Sample(Rng rng) => Start + rng.NextInt(N);

    public override void Sample(Rng rng, Span<float> destination) => destination[0] = Sample(rng);

    public override string ToString() => Start == 0 ? $"Discrete({N})" : $"Discrete({N}, start={Start})";
}
