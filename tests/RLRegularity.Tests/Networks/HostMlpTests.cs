using RLRegularity.Networks;
using RLRegularity.Normalization;
using TorchSharp;
using static TorchSharp.torch;

namespace RLRegularity.Tests.Networks;

/// <summary>HostMlp against the module it mirrors: outputs and RN state over a sequence of training and eval calls.</summary>
public sealed class HostMlpTests
{
    public HostMlpTests() => TorchRuntime.Initialize(1);

    private static Mlp Build(string normalizer, Activation activation, NormalizerOptions? options = null, bool normalizeOutput = false) =>
        TorchRuntime.Seeded(11, () => new Mlp(new MlpSpec(5, [32, 24], 3, activation, Normalizers.Parse(normalizer), options ?? NormalizerOptions.Default,
            NormalizeOutput: normalizeOutput)));

    public static TheoryData<string, Activation, bool> Networks() => new()
    {
        { "none", Activation.Tanh, false },
        { "none", Activation.ReLU, false },
        { "ln", Activation.Tanh, false },
        { "rn", Activation.Tanh, false },
        { "rn", Activation.ReLU, true },
        { "rln", Activation.ReLU, false },
        { "rnln", Activation.Tanh, false },
        { "rnr", Activation.Tanh, false },
        { "probe", Activation.ReLU, false },
    };

    [Theory]
    [MemberData(nameof(Networks))]
    public void MatchesTheModuleAndItsRegularityState(string normalizer, Activation activation, bool normalizeOutput)
    {
        using var module = Build(normalizer, activation, normalizeOutput: normalizeOutput);
        using var twin = Build(normalizer, activation, normalizeOutput: normalizeOutput);
        // Seeded builds share torch's global generator with tests running in parallel: make the twin's weights the
        // module's own, so the comparison never depends on what another test drew in between.
        using (no_grad())
        {
            foreach (var (mine, theirs) in twin.parameters().Zip(module.parameters())) mine.copy_(theirs);
        }
        HostMlp host = HostMlp.TryCreate(twin) ?? throw new Xunit.Sdk.XunitException($"{normalizer} should have a host form");
        Assert.Equal(5, host.InputSize);
        Assert.Equal(3, host.OutputSize);
        module.eval();
        twin.eval();
        var random = new Random(3);
        // Training calls (state updates) of batch 1 and 4, then eval calls that read the state.
        RegularityMode[] modes = [RegularityMode.Train, RegularityMode.Train, RegularityMode.Train, RegularityMode.Eval, RegularityMode.Train, RegularityMode.Eval];
        for (int call = 0; call < modes.Length; call++)
        {
            RegularityLayers.SetMode(module, modes[call]);
            RegularityLayers.SetMode(twin, modes[call]);
            int rows = call % 2 == 0 ? 1 : 4;
            float[] input = Enumerable.Range(0, rows * 5).Select(_ => (float)(random.NextDouble() * 4 - 2)).ToArray();
            float[] expected;
            using (var scope = NewDisposeScope())
            using (no_grad())
                expected = module.forward(tensor(input, [rows, 5])).data<float>().ToArray();
            float[] actual = new float[rows * 3];
            host.Forward(input, rows, actual);
            for (int i = 0; i < expected.Length; i++)
                Assert.True(Math.Abs(expected[i] - actual[i]) <= 1e-5 * (1 + Math.Abs(expected[i])), $"call {call}, output {i}: {expected[i]} vs {actual[i]}");
            var moduleState = RegularityLayers.Snapshot(module);
            var hostState = RegularityLayers.Snapshot(twin);
            Assert.Equal(moduleState.Count, hostState.Count);
            foreach (var (a, b) in moduleState.Zip(hostState))
            {
                Assert.Equal(a.Calls, b.Calls);
                Assert.Equal(a.Count, b.Count);
                Assert.Equal(a.Mean, b.Mean, 5);
                Assert.Equal(a.Std, b.Std, 5);
                Assert.Equal(a.Comp, b.Comp, 4);
            }
        }
        // Every RN layer saw every call and merged the training ones (4 training calls: 1 + 4 + 1 + 4 rows).
        Assert.All(RegularityLayers.Snapshot(twin), s => Assert.Equal(modes.Length, s.Calls));
        Assert.All(RegularityLayers.Snapshot(twin), s => Assert.True(s.Count >= 10, $"{s.Layer} merged {s.Count} values"));
    }

    [Fact]
    public void SeesParameterChangesAtOnce()
    {
        using var module = Build("none", Activation.Tanh);
        HostMlp host = HostMlp.TryCreate(module)!;
        float[] input = [0.1f, -0.2f, 0.3f, 0.4f, -0.5f], before = new float[3], after = new float[3];
        host.Forward(input, 1, before);
        using (no_grad())
            foreach (var p in module.parameters()) p.add_(0.05);
        host.Forward(input, 1, after);
        float[] expected;
        using (no_grad()) expected = module.forward(tensor(input, [1, 5])).data<float>().ToArray();
        Assert.NotEqual(before, after);
        for (int i = 0; i < 3; i++) Assert.Equal(expected[i], after[i], 5);
    }

    [Fact]
    public void RnThenLnOrderIsKept()
    {
        var options = NormalizerOptions.Default with { RnThenLn = true };
        using var module = Build("rnln", Activation.Tanh, options);
        using var twin = Build("rnln", Activation.Tanh, options);
        HostMlp host = HostMlp.TryCreate(twin)!;
        RegularityLayers.SetMode(module, RegularityMode.Train);
        RegularityLayers.SetMode(twin, RegularityMode.Train);
        float[] input = [1f, -2f, 0.5f, 0.25f, 3f, -1f, 0f, 2f, 1.5f, -0.5f];
        float[] expected, actual = new float[6];
        using (no_grad()) expected = module.forward(tensor(input, [2, 5])).data<float>().ToArray();
        host.Forward(input, 2, actual);
        for (int i = 0; i < 6; i++) Assert.Equal(expected[i], actual[i], 5);
    }

    [Theory]
    [InlineData("bn")]
    [InlineData("wn")]
    public void LayersWithoutAHostFormGiveNull(string normalizer)
    {
        using var module = Build(normalizer, Activation.Tanh);
        Assert.Null(HostMlp.TryCreate(module));
    }

    [Fact]
    public void Float64NetworksGiveNullAndBadShapesAreErrors()
    {
        using var wide = Build("none", Activation.Tanh, NormalizerOptions.Default with { DType = ScalarType.Float64 });
        Assert.Null(HostMlp.TryCreate(wide));
        using var module = Build("none", Activation.Tanh);
        HostMlp host = HostMlp.TryCreate(module)!;
        var error = Assert.Throws<ArgumentException>(() => host.Forward(new float[4], 1, new float[3]));
        Assert.Contains("1 × 5", error.Message);
        Assert.Throws<ArgumentException>(() => host.Forward(new float[10], 2, new float[3]));
    }
}
