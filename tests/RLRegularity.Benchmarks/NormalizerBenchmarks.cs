using BenchmarkDotNet.Attributes;
using BenchmarkDotNet.Engines;
using BenchmarkDotNet.Jobs;
using BenchmarkDotNet.Toolchains.InProcess.Emit;
using RLRegularity.Networks;
using RLRegularity.Normalization;
using static TorchSharp.torch;

namespace RLRegularity.Benchmarks;

/// <summary>
/// Forward plus backward of the networks the agents use, for every normalizer, on one TorchSharp thread: the DQN
/// network (4→64→64→2) at batch 1 and 64, and the MiniGrid actor and critic heads (64→64→7, 64→64→1) at batch 256.
/// In-process, so libtorch loads once and a full run takes minutes.
/// </summary>
[Config(typeof(Settings))]
public class NormalizerBenchmarks
{
    private sealed class Settings : BenchmarkDotNet.Configs.ManualConfig
    {
        public Settings() => AddJob(BenchmarkDotNet.Jobs.Job.Default
            .WithToolchain(InProcessEmitToolchain.Instance)
            .WithStrategy(RunStrategy.Throughput)
            .WithWarmupCount(3).WithIterationCount(8).WithLaunchCount(1));
    }

    private Mlp _network = null!;
    private Tensor _input = null!;

    /// <summary>The network shape: dqn-b1, dqn-b64, actor-b256, critic-b256.</summary>
    [Params("dqn-b1", "dqn-b64", "actor-b256", "critic-b256")]
    public string Shape { get; set; } = "dqn-b64";

    /// <summary>The hidden-layer normalizer.</summary>
    [Params("none", "bn", "ln", "wn", "rn", "rln", "rnln", "rnr", "probe")]
    public string Normalizer { get; set; } = "none";

    [GlobalSetup]
    public void Setup()
    {
        TorchRuntime.Initialize(1);
        (int input, int output, int batch) = Shape switch
        {
            "dqn-b1" => (4, 2, 1),
            "dqn-b64" => (4, 2, 64),
            "actor-b256" => (64, 7, 256),
            _ => (64, 1, 256),
        };
        var activation = Shape.StartsWith("dqn", StringComparison.Ordinal) ? Activation.ReLU : Activation.Tanh;
        _network = TorchRuntime.Seeded(0, () => new Mlp(new MlpSpec(input, [64, 64], output, activation, Normalizers.Parse(Normalizer), NormalizerOptions.Default)));
        _network.train();
        _input = randn(batch, input);
        // A few training calls so RN layers are past their first (initialising) call.
        for (int i = 0; i < 3; i++) Step();
    }

    /// <summary>One training forward and backward pass, with every temporary disposed.</summary>
    [Benchmark]
    public void ForwardBackward() => Step();

    private void Step()
    {
        using var scope = NewDisposeScope();
        _network.zero_grad();
        _network.forward(_input).square().mean().backward();
    }
}
