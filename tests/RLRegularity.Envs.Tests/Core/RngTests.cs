using RLRegularity.Envs.Core;

namespace RLRegularity.Envs.Tests.Core;

/// <summary>The generator reproduces numpy's PCG64/SeedSequence streams (values printed by numpy 1.24 on this machine).</summary>
public sealed class RngTests
{
    [Theory]
    [InlineData(0L, 11749869230777074271UL, 4976686463289251617UL, 755828109848996024UL)]
    [InlineData(1L, 9441442522235856127UL, 17532960557476522086UL, 2659275481604167885UL)]
    [InlineData(42L, 14276969152011380360UL, 8095878257575067585UL, 15838336090824644132UL)]
    [InlineData(1099511627783L, 15307346044642009514UL, 4709548916763817589UL, 2836937976252648324UL)]
    public void RawOutputsMatchNumpy(long seed, ulong a, ulong b, ulong c)
    {
        var rng = new Rng(seed);
        Assert.Equal([a, b, c], new[] { rng.NextUInt64(), rng.NextUInt64(), rng.NextUInt64() });
    }

    [Theory]
    [InlineData(0L, 1UL, 12492077108140196533UL, 4482314363672241088UL)]
    [InlineData(0L, 7UL, 5633225198675825446UL, 436257745508209924UL)]
    [InlineData(1L, 1UL, 8776306313781188346UL, 11078900580537398888UL)]
    public void ChildStreamsMatchNumpySpawnKeys(long seed, ulong stream, ulong a, ulong b)
    {
        var rng = new Rng(seed, stream);
        Assert.Equal([a, b], new[] { rng.NextUInt64(), rng.NextUInt64() });
    }

    [Fact]
    public void DoublesAndIntegersMatchNumpyGenerator()
    {
        var rng = new Rng(0);
        Assert.Equal(0.6369616873214543, rng.NextDouble());
        Assert.Equal(0.2697867137638703, rng.NextDouble());
        // Generator(PCG64(SeedSequence(0))): [integers(2) for 6] + [integers(7) for 4]
        var ints = new Rng(0);
        int[] got = [.. Enumerable.Range(0, 6).Select(_ => ints.NextInt(2)), .. Enumerable.Range(0, 4).Select(_ => ints.NextInt(7))];
        Assert.Equal([1, 1, 1, 0, 0, 0, 0, 0, 1, 5], got);
    }

    [Theory]
    [InlineData(0L, new[] { 4, 6, 2, 7, 3, 5, 9, 0, 8, 1 }, 503)]
    [InlineData(42L, new[] { 5, 6, 0, 7, 3, 2, 4, 9, 1, 8 }, 735)]
    public void ShuffleAsNumpyMatchesNumpyGeneratorShuffle(long seed, int[] expected, int next)
    {
        // g = Generator(PCG64(SeedSequence(seed))); l = list(range(10)); g.shuffle(l); g.integers(0, 1000)
        var rng = new Rng(seed);
        int[] items = [.. Enumerable.Range(0, 10)];
        rng.ShuffleAsNumpy(items.AsSpan());
        Assert.Equal(expected, items);
        Assert.Equal(next, rng.NextInt(0, 1000));
    }

    [Fact]
    public void StateRoundTripContinuesTheSameStream()
    {
        var rng = new Rng(5);
        rng.NextUInt32();
        rng.NextGaussian();
        var copy = Rng.FromState(rng.GetState());
        for (int i = 0; i < 100; i++)
        {
            Assert.Equal(rng.NextUInt32(), copy.NextUInt32());
            Assert.Equal(rng.NextGaussian(), copy.NextGaussian());
        }
    }

    [Fact]
    public void NextIntIsUniform()
    {
        var rng = new Rng(9);
        var counts = new int[7];
        const int Draws = 70_000;
        for (int i = 0; i < Draws; i++) counts[rng.NextInt(7)]++;
        // Chi-square with 6 degrees of freedom; 22.46 is the 0.999 quantile.
        double chi2 = counts.Sum(c => (c - Draws / 7.0) * (c - Draws / 7.0) / (Draws / 7.0));
        Assert.True(chi2 < 22.46, $"chi2 = {chi2}");
    }

    [Fact]
    public void GaussianHasUnitVariance()
    {
        var rng = new Rng(11);
        double sum = 0, sumSq = 0;
        const int N = 100_000;
        for (int i = 0; i < N; i++)
        {
            double g = rng.NextGaussian();
            sum += g;
            sumSq += g * g;
        }
        Assert.InRange(sum / N, -0.02, 0.02);
        Assert.InRange(sumSq / N, 0.98, 1.02);
    }

    [Fact]
    public void NegativeSeedsAreRejected() => Assert.Throws<ArgumentOutOfRangeException>(() => new Rng(-1));
}
