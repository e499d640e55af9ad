using RLRegularity.Optimization;
using TorchSharp;
using static TorchSharp.torch;

namespace RLRegularity.Tests.Optimization;

/// <summary>DirectAdam against torch.optim.Adam and clip_grad_norm_, its checkpoint round trip and its errors.</summary>
public sealed class DirectAdamTests
{
    public DirectAdamTests() => TorchRuntime.Initialize(1);

    // Two copies of a small network with identical weights; the same gradients are fed to both optimizers.
    private static (nn.Module<Tensor, Tensor> A, nn.Module<Tensor, Tensor> B) Twins(ScalarType dtype)
    {
        var a = TorchRuntime.Seeded(5, () => nn.Sequential(nn.Linear(3, 17), nn.Tanh(), nn.Linear(17, 2)));
        var b = TorchRuntime.Seeded(5, () => nn.Sequential(nn.Linear(3, 17), nn.Tanh(), nn.Linear(17, 2)));
        a.to(dtype);
        b.to(dtype);
        // Tests running in parallel draw from torch's global generator too: copy, rather than trust the seed alone.
        using (no_grad())
        {
            foreach (var (mine, theirs) in b.parameters().Zip(a.parameters())) mine.copy_(theirs);
        }
        return (a, b);
    }

    private static void Backward(nn.Module<Tensor, Tensor> network, int seed, ScalarType dtype)
    {
        var generator = new Generator((ulong)seed);
        using var scope = NewDisposeScope();
        Tensor x = randn([8, 3], dtype: dtype, generator: generator) * 3;
        network.forward(x).square().sum().backward();
    }

    [Theory]
    [InlineData(ScalarType.Float32, 1e-6)]
    [InlineData(ScalarType.Float64, 1e-13)]
    public void FollowsTorchAdamStepByStep(ScalarType dtype, double tolerance)
    {
        var (mine, reference) = Twins(dtype);
        var adam = new DirectAdam(mine.parameters(), 0.01, epsilon: 1e-5);
        using var torchAdam = optim.Adam(reference.parameters(), 0.01, eps: 1e-5);
        for (int step = 1; step <= 6; step++)
        {
            if (step == 4) { adam.LearningRate = 0.003; foreach (var g in torchAdam.ParamGroups) g.LearningRate = 0.003; }
            adam.ZeroGrad();
            torchAdam.zero_grad();
            Backward(mine, step, dtype);
            Backward(reference, step, dtype);
            adam.Step();
            torchAdam.step();
            foreach (var (p, q) in mine.parameters().Zip(reference.parameters()))
                Assert.True(p.allclose(q, rtol: tolerance, atol: tolerance), $"step {step}: max difference {(p - q).abs().max().ToDouble()}");
        }
        Assert.Equal(6, adam.StepCount);
        // The parameters moved: a no-op optimizer would pass the comparison above only if Adam did nothing too.
        var (fresh, _) = Twins(dtype);
        Assert.False(mine.parameters().First().allclose(fresh.parameters().First()));
    }

    [Fact]
    public void ClipsLikeClipGradNorm()
    {
        var (mine, reference) = Twins(ScalarType.Float32);
        var adam = new DirectAdam(mine.parameters(), 0.01);
        Backward(mine, 1, ScalarType.Float32);
        Backward(reference, 1, ScalarType.Float32);
        Assert.Equal(1, adam.LastClipCoefficient); // before any clipping
        double norm = adam.ClipGradNorm(0.5);
        double expected = nn.utils.clip_grad_norm_(reference.parameters(), 0.5);
        Assert.Equal(expected, norm, 4);
        Assert.True(norm > 0.5, "the test needs a gradient larger than the bound");
        Assert.Equal(0.5 / (norm + 1e-6), adam.LastClipCoefficient);
        double clippedSquares = 0;
        foreach (var (p, q) in mine.parameters().Zip(reference.parameters()))
        {
            Assert.True(p.grad!.allclose(q.grad!, rtol: 1e-5, atol: 1e-7));
            clippedSquares += p.grad!.square().sum().ToDouble();
        }
        Assert.Equal(0.5, Math.Sqrt(clippedSquares), 4);

        // Below the bound nothing changes.
        var before = mine.parameters().Select(p => p.grad!.clone()).ToList();
        Assert.Equal(0.5, adam.ClipGradNorm(10), 4);
        Assert.Equal(1, adam.LastClipCoefficient);
        foreach (var (p, g) in mine.parameters().Zip(before)) Assert.True(p.grad!.allclose(g, rtol: 0, atol: 0));
    }

    [Fact]
    public void ZeroGradDropsGradientsAndStepSkipsParametersWithout()
    {
        var (mine, _) = Twins(ScalarType.Float32);
        var adam = new DirectAdam(mine.parameters(), 0.01);
        Backward(mine, 1, ScalarType.Float32);
        adam.ZeroGrad();
        Assert.All(mine.parameters(), p => Assert.Null(p.grad));
        var before = mine.parameters().Select(p => p.clone()).ToList();
        adam.Step();
        foreach (var (p, q) in mine.parameters().Zip(before)) Assert.True(p.allclose(q, rtol: 0, atol: 0));
    }

    [Fact]
    public void SavedStateContinuesExactly()
    {
        var (first, second) = Twins(ScalarType.Float32);
        var adam = new DirectAdam(first.parameters(), 0.01);
        for (int step = 1; step <= 3; step++) { adam.ZeroGrad(); Backward(first, step, ScalarType.Float32); adam.Step(); }
        using var buffer = new MemoryStream();
        adam.Save(new BinaryWriter(buffer));
        // The second network takes the first's weights and the saved moments, then both take the same three steps.
        using (no_grad())
            foreach (var (p, q) in second.parameters().Zip(first.parameters())) p.copy_(q);
        var restored = new DirectAdam(second.parameters(), 0.01);
        buffer.Position = 0;
        restored.Load(new BinaryReader(buffer));
        Assert.Equal(3, restored.StepCount);
        for (int step = 4; step <= 6; step++)
        {
            adam.ZeroGrad(); Backward(first, step, ScalarType.Float32); adam.Step();
            restored.ZeroGrad(); Backward(second, step, ScalarType.Float32); restored.Step();
        }
        foreach (var (p, q) in first.parameters().Zip(second.parameters())) Assert.True(p.allclose(q, rtol: 0, atol: 0));
    }

    [Fact]
    public void TakesOverTorchAdamState()
    {
        var (mine, reference) = Twins(ScalarType.Float32);
        using var torchAdam = optim.Adam(reference.parameters(), 0.01);
        for (int step = 1; step <= 3; step++) { torchAdam.zero_grad(); Backward(reference, step, ScalarType.Float32); torchAdam.step(); }
        using (no_grad())
            foreach (var (p, q) in mine.parameters().Zip(reference.parameters())) p.copy_(q);
        var adam = new DirectAdam(mine.parameters(), 0.01);
        adam.LoadFrom((TorchSharp.Modules.Adam)torchAdam);
        Assert.Equal(3, adam.StepCount);
        adam.ZeroGrad(); Backward(mine, 4, ScalarType.Float32); adam.Step();
        torchAdam.zero_grad(); Backward(reference, 4, ScalarType.Float32); torchAdam.step();
        foreach (var (p, q) in mine.parameters().Zip(reference.parameters())) Assert.True(p.allclose(q, rtol: 1e-6, atol: 1e-6));
    }

    [Fact]
    public void MismatchedStateIsAnErrorNamingTheCounts()
    {
        var (small, _) = Twins(ScalarType.Float32);
        var adam = new DirectAdam(small.parameters(), 0.01);
        using var buffer = new MemoryStream();
        adam.Save(new BinaryWriter(buffer));
        using var other = nn.Linear(3, 2);
        var otherAdam = new DirectAdam(other.parameters(), 0.01);
        buffer.Position = 0;
        var error = Assert.Throws<InvalidDataException>(() => otherAdam.Load(new BinaryReader(buffer)));
        Assert.Contains("4 parameters", error.Message);
        Assert.Contains("has 2", error.Message);
        Assert.Throws<ArgumentException>(() => new DirectAdam([.. small.parameters(), small.parameters().First()], 0.01));
        Assert.Throws<ArgumentOutOfRangeException>(() => new DirectAdam(small.parameters(), -1));
    }

    [Theory]
    [InlineData(ScalarType.Float32)]
    [InlineData(ScalarType.Float64)]
    public void ResetsTheMomentsOfGivenRowsAndColumnsOnly(ScalarType dtype)
    {
        var (network, _) = Twins(dtype);
        var parameters = network.parameters().ToArray(); // fc1.weight [17, 3], fc1.bias [17], fc2.weight [2, 17], fc2.bias [2]
        var adam = new DirectAdam(parameters, 0.01);
        for (int step = 1; step <= 2; step++) { adam.ZeroGrad(); Backward(network, step, dtype); adam.Step(); }
        var before = parameters.Select(p => adam.Moments(p)).ToArray();
        Assert.All(before, m => Assert.DoesNotContain(0.0, m.First)); // every moment is non-zero after two steps

        adam.ResetMoments(parameters[0], 0, [1, 5]);   // rows 1 and 5 of fc1.weight: elements 3..5 and 15..17
        adam.ResetMoments(parameters[1], 0, [5]);      // element 5 of fc1.bias
        adam.ResetMoments(parameters[2], 1, [1, 5]);   // columns 1 and 5 of fc2.weight: elements 1, 5, 18, 22
        var after = parameters.Select(p => adam.Moments(p)).ToArray();
        int[][] zeroed = [[3, 4, 5, 15, 16, 17], [5], [1, 5, 18, 22], []];
        for (int p = 0; p < parameters.Length; p++)
        {
            for (int e = 0; e < before[p].First.Length; e++)
            {
                bool reset = zeroed[p].Contains(e);
                Assert.Equal(reset ? 0 : before[p].First[e], after[p].First[e]);
                Assert.Equal(reset ? 0 : before[p].Second[e], after[p].Second[e]);
            }
        }
        Assert.Equal(2, adam.StepCount);

        adam.ResetMoments(parameters[3]);
        Assert.All(adam.Moments(parameters[3]).First.Concat(adam.Moments(parameters[3]).Second), v => Assert.Equal(0, v));
        Assert.Throws<ArgumentOutOfRangeException>(() => adam.ResetMoments(parameters[1], 1, [0])); // a 1-D bias has no columns
        Assert.Throws<ArgumentOutOfRangeException>(() => adam.ResetMoments(parameters[0], 0, [17]));
        using var stranger = nn.Linear(3, 2);
        Assert.Throws<ArgumentException>(() => adam.ResetMoments(stranger.parameters().First()));
    }
}
