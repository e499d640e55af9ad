using TorchSharp;
using static TorchSharp.torch;

namespace RLRegularity.Tests.Platform;

/// <summary>The patched natives load, and forward, backward and Adam work: a small MLP fits a fixed regression target.</summary>
public sealed class TorchSharpNativeTests
{
    [Fact]
    public void SmallMlpTrainsWithAdam()
    {
        TorchRuntime.Initialize(threads: 1);
        TorchRuntime.Seed(0);
        using var scope = NewDisposeScope();
        var net = nn.Sequential(("fc1", nn.Linear(4, 32)), ("relu", nn.ReLU()), ("fc2", nn.Linear(32, 1)));
        Tensor x = randn(64, 4);
        Tensor y = (x[.., 0] * 2 - x[.., 1] + 0.5 * x[.., 2] * x[.., 3]).unsqueeze(1);
        var adam = optim.Adam(net.parameters(), lr: 1e-2);

        double initial = nn.functional.mse_loss(net.forward(x), y).item<float>();
        double last = initial;
        for (int step = 0; step < 300; step++)
        {
            using var stepScope = NewDisposeScope();
            adam.zero_grad();
            Tensor loss = nn.functional.mse_loss(net.forward(x), y);
            loss.backward();
            if (step == 0)
            {
                foreach (var p in net.parameters())
                {
                    Assert.NotNull(p.grad);
                    Assert.True(p.grad!.abs().sum().item<float>() > 0, "a parameter received no gradient");
                }
            }
            adam.step();
            last = loss.item<float>();
        }
        Assert.True(double.IsFinite(last));
        Assert.True(last < initial * 0.05, $"the loss went from {initial} to {last}; Adam should reduce it by 20x");
    }

    [Fact]
    public void BackgroundGarbageCollectionIsOff()
    {
        // A background collection can finalize TorchSharp's implicit Scalars while libtorch reads them (see
        // Directory.Build.props); every executable of the solution, this test host included, runs without it.
        Assert.Equal(System.Runtime.GCLatencyMode.Batch, System.Runtime.GCSettings.LatencyMode); // Batch = no background GC
        string cli = Path.Combine(AppContext.BaseDirectory, "..", "..", "..", "..", "..", "src", "RLRegularity.Cli", "RLRegularity.Cli.csproj");
        Assert.True(File.Exists(cli), $"not found: {cli}");
        string props = File.ReadAllText(Path.Combine(Path.GetDirectoryName(cli)!, "..", "..", "Directory.Build.props"));
        Assert.Contains("<ConcurrentGarbageCollection>false</ConcurrentGarbageCollection>", props);
    }

    [Fact]
    public void GradientsMatchTheAnalyticDerivative()
    {
        TorchRuntime.Initialize(threads: 1);
        using var scope = NewDisposeScope();
        Tensor w = tensor(new[] { 1.5, -2.0 }, dtype: ScalarType.Float64).requires_grad_();
        Tensor x = tensor(new[] { 3.0, 0.5 }, dtype: ScalarType.Float64);
        Tensor loss = (w * x).sum().pow(2); // d/dw (w·x)² = 2 (w·x) x
        loss.backward();
        double dot = 1.5 * 3.0 - 2.0 * 0.5;
        Assert.Equal(2 * dot * 3.0, w.grad!.data<double>()[0], 12);
        Assert.Equal(2 * dot * 0.5, w.grad!.data<double>()[1], 12);
    }
}
