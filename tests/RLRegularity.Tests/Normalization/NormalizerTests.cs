using RLRegularity.Networks;
using RLRegularity.Normalization;
using TorchSharp;
using static TorchSharp.torch;

namespace RLRegularity.Tests.Normalization;

public sealed class NormalizerTests
{
    public NormalizerTests() => TorchRuntime.Initialize(1);

    private static double[] Values(Tensor t) => t.detach().to(ScalarType.Float64).data<double>().ToArray();

    [Fact]
    public void LayerNormMatchesItsDefinition()
    {
        using var scope = NewDisposeScope();
        var ln = Normalizers.Create(NormalizerKind.LN, 4, NormalizerOptions.Default, "ln");
        Tensor x = tensor(new float[,] { { 1, 2, 3, 6 } });
        // mean 3, biased variance (4+1+0+9)/4 = 3.5: y = (x − 3)/sqrt(3.5 + 1e-5)
        double[] expected = [.. new[] { 1.0, 2, 3, 6 }.Select(v => (v - 3) / Math.Sqrt(3.5 + 1e-5))];
        double[] got = Values(ln.forward(x));
        for (int i = 0; i < 4; i++) Assert.Equal(expected[i], got[i], 5);
    }

    [Fact]
    public void BatchNormMatchesItsDefinitionAndSurvivesABatchOfOne()
    {
        using var scope = NewDisposeScope();
        var bn = Normalizers.Create(NormalizerKind.BN, 2, NormalizerOptions.Default, "bn");
        bn.train();
        Tensor x = tensor(new float[,] { { 1, 10 }, { 3, 30 } });
        // Per column: mean (2, 20), biased variance (1, 100): y = (x − mean)/sqrt(var + 1e-5).
        double[] got = Values(bn.forward(x));
        Assert.InRange(got[0], -1 / Math.Sqrt(1 + 1e-5) - 1e-6, -1 / Math.Sqrt(1 + 1e-5) + 1e-6);
        Assert.InRange(got[3], 10 / Math.Sqrt(100 + 1e-5) - 1e-6, 10 / Math.Sqrt(100 + 1e-5) + 1e-6);
        double[] single = Values(bn.forward(tensor(new float[,] { { 5, 5 } })));
        Assert.All(single, v => Assert.True(double.IsFinite(v)));
    }

    [Fact]
    public void WeightNormIsGTimesTheUnitDirection()
    {
        using var scope = NewDisposeScope();
        var layer = new WeightNormLinear("wn", 3, 2);
        Tensor w = layer.Weight();
        // g starts at ‖v‖, so the effective weight equals v; rescaling g rescales rows.
        var parameters = layer.named_parameters().ToDictionary(p => p.name, p => p.parameter);
        Assert.Equal(Values(parameters["weight_v"]), Values(w), new ToleranceComparer(1e-6));
        using (no_grad()) parameters["weight_g"].mul_(2);
        Assert.Equal(Values(parameters["weight_v"]).Select(v => 2 * v), Values(layer.Weight()), new ToleranceComparer(1e-6));
        double[] rowNorms = Values(layer.Weight().norm(1));
        double[] g = Values(parameters["weight_g"].reshape(-1));
        Assert.Equal(g, rowNorms, new ToleranceComparer(1e-5));
    }

    [Fact]
    public void EvalModeFreezesRnState()
    {
        using var scope = NewDisposeScope();
        var rn = new RegularityNormalization("rn", 4, NormalizerOptions.Default);
        rn.train();
        rn.forward(randn(8, 4));
        RegularitySnapshot before = rn.Snapshot();
        rn.eval();
        Tensor y = rn.forward(randn(3, 4) * 5);
        RegularitySnapshot after = rn.Snapshot();
        Assert.Equal((before.Mean, before.Std, before.Count, before.Comp), (after.Mean, after.Std, after.Count, after.Comp));
        Assert.True(after.Calls == before.Calls + 1);
        Assert.All(Values(y), v => Assert.True(double.IsFinite(v)));
        rn.ModeOverride = RegularityMode.Train; // the explicit override wins over the module flag
        rn.forward(randn(3, 4));
        Assert.Equal(before.Count + 12, rn.Snapshot().Count);
    }

    [Fact]
    public void StateSurvivesSaveAndLoadBitForBit()
    {
        string path = Path.GetTempFileName();
        try
        {
            var spec = new MlpSpec(4, [8, 8], 2, Activation.ReLU, NormalizerKind.RLN, NormalizerOptions.Default);
            var a = new Mlp(spec);
            a.train();
            using (NewDisposeScope()) for (int i = 0; i < 3; i++) a.forward(randn(5, 4));
            a.save(path);
            var b = new Mlp(spec);
            b.load(path);
            var sa = RegularityLayers.Snapshot(a);
            var sb = RegularityLayers.Snapshot(b);
            Assert.Equal(sa.Select(s => (s.Mean, s.Std, s.Count, s.Comp, s.Calls, s.Initialized)), sb.Select(s => (s.Mean, s.Std, s.Count, s.Comp, s.Calls, s.Initialized)));
            using var scope = NewDisposeScope();
            a.eval();
            b.eval();
            Tensor x = randn(2, 4);
            Assert.Equal(Values(a.forward(x)), Values(b.forward(x)));
        }
        finally
        {
            File.Delete(path);
        }
    }

    [Theory]
    [InlineData("rn")]
    [InlineData("rln")]
    [InlineData("rnln")]
    [InlineData("rnr")]
    [InlineData("probe")]
    [InlineData("bn")]
    [InlineData("ln")]
    public void DegenerateAndSingleElementBatchesNeverGiveNaN(string name)
    {
        using var scope = NewDisposeScope();
        var layer = Normalizers.Create(Normalizers.Parse(name), 1, NormalizerOptions.Default, name);
        layer.train();
        foreach (Tensor x in new[] { tensor(new float[,] { { 0.5f } }), tensor(new float[,] { { 0.5f } }), full(3, 1, 0.25f), tensor(new float[,] { { 2f } }) })
            Assert.All(Values(layer.forward(x)), v => Assert.True(double.IsFinite(v), $"{name} produced {v}"));
        var wide = Normalizers.Create(Normalizers.Parse(name), 3, NormalizerOptions.Default, name);
        wide.train();
        Assert.All(Values(wide.forward(full(2, 3, 7f))), v => Assert.True(double.IsFinite(v)));
        Assert.All(Values(wide.forward(tensor(new float[,] { { 1, 2, 3 } }))), v => Assert.True(double.IsFinite(v)));
    }

    [Theory]
    [InlineData("rn")]
    [InlineData("rln")]
    [InlineData("rnln")]
    public void GradientNodeCanBeDifferentiatedTwice(string name)
    {
        // retain_graph: a second backward through RN's gradient node adds the same gradient again.
        using var scope = NewDisposeScope();
        var layer = Normalizers.Create(Normalizers.Parse(name), 6, NormalizerOptions.Default, name);
        layer.train();
        layer.forward(randn(8, 6)); // a first call, so the second is scored against history
        Tensor x = randn(8, 6).requires_grad_();
        Tensor y = layer.forward(x);
        Tensor weights = randn(8, 6);
        autograd.backward([y], [weights], retain_graph: true);
        double[] once = Values(x.grad!);
        autograd.backward([y], [weights]);
        double[] twice = Values(x.grad!);
        Assert.Contains(once, g => Math.Abs(g) > 1e-6);
        for (int i = 0; i < once.Length; i++) Assert.Equal(2 * once[i], twice[i], 5);
    }

    [Fact]
    public void NonFiniteInputThrowsTheNamedException()
    {
        using var scope = NewDisposeScope();
        var rn = new RegularityNormalization("fc1.rn", 2, NormalizerOptions.Default);
        rn.train();
        rn.forward(tensor(new float[,] { { 0.1f, -0.4f }, { 0.3f, 0.9f } }));
        var e = Assert.Throws<NonFiniteCodeLengthException>(() => rn.forward(tensor(new float[,] { { float.NaN, 1 }, { 2, 3 } })));
        Assert.Contains("fc1.rn", e.Message);
        Assert.Equal(1, e.Call);
        Assert.Contains("mean", e.Message);
    }

    [Fact]
    public void UnknownNamesListTheValidOnes()
    {
        var e = Assert.Throws<ArgumentException>(() => Normalizers.Parse("group"));
        foreach (string name in Normalizers.Names) Assert.Contains(name, e.Message);
    }

    [Fact]
    public void RewardPriorBySignAndByValue()
    {
        Assert.Equal([0.6, 0.6, 0.2, 0.6, 0.2], RewardPrior.FromRewards([0, 0, 1, 0, -1]));
        Assert.Equal([0.5, 0.5, 0.25, 0.25], RewardPrior.FromRewards([1, 1, 2, 0.5], RewardPriorBinning.Exact));
        Assert.Equal([1.0, 1.0], RewardPrior.FromRewards([2, 3]));
        var e = Assert.Throws<ArgumentException>(() => RewardPrior.FromRewards([1, double.NaN]));
        Assert.Contains("reward 1", e.Message);

        var rnr = new RegularityNormalization("rnr", 2, NormalizerOptions.Default, acceptsPrior: true);
        var warnings = new List<string>();
        rnr.Warn = warnings.Add;
        Assert.Throws<ArgumentException>(() => rnr.SetPrior(tensor(new[] { 0.5, 1.5 })));
        Assert.Throws<ArgumentException>(() => rnr.SetPrior(tensor(new[] { 0.0, 1.0 })));
        rnr.SetPrior(tensor(new[] { 1e-9, 1.0 }));
        Assert.Single(warnings);
    }

    [Fact]
    public void MlpPlacesNormalizersAndTheProbeReportsEveryLayer()
    {
        using var scope = NewDisposeScope();
        var mlp = new Mlp(new MlpSpec(4, [16, 16], 2, Activation.ReLU, NormalizerKind.RNLN, NormalizerOptions.Default));
        string[] names = [.. mlp.named_modules().Select(m => m.name)];
        Assert.Contains(names, n => n.EndsWith("norm1"));
        Assert.Contains(names, n => n.EndsWith("norm2"));
        Assert.DoesNotContain(names, n => n.EndsWith("output_norm"));
        IReadOnlyList<IRegularityLayer> layers = RegularityLayers.Find(mlp);
        Assert.Equal(["fc1.rnln", "fc2.rnln"], layers.Select(l => l.LayerName));
        mlp.train();
        mlp.forward(randn(4, 4));
        Assert.All(RegularityLayers.Snapshot(mlp), s => Assert.True(s.CodeLength > 0));
        RegularityLayers.SetMode(mlp, RegularityMode.Eval);
        Assert.All(layers, l => Assert.Equal(RegularityMode.Eval, l.ModeOverride));
        // The critic's 1-unit output never gets LayerNorm.
        var critic = new Mlp(new MlpSpec(4, [8], 1, Activation.Tanh, NormalizerKind.LN, NormalizerOptions.Default, NormalizeOutput: true));
        Assert.DoesNotContain(critic.named_modules().Select(m => m.name), n => n.EndsWith("output_norm"));
    }

    [Theory]
    [InlineData("rn")]
    [InlineData("rln")]
    [InlineData("rnr")]
    [InlineData("probe")]
    public void GradientFreePathMatchesTheAutogradPath(string name)
    {
        // Two identical layers see the same calls: one with autograd (tensor path), one without (C# path).
        var options = NormalizerOptions.Default with { DType = ScalarType.Float64 };
        var withGrad = (RegularityNormalization)Normalizers.Create(Normalizers.Parse(name), 3, options, "a");
        var noGrad = (RegularityNormalization)Normalizers.Create(Normalizers.Parse(name), 3, options, "b");
        var rng = new Random(5);
        for (int call = 0; call < 8; call++)
        {
            using var scope = NewDisposeScope();
            bool train = call < 6;
            withGrad.ModeOverride = noGrad.ModeOverride = train ? RegularityMode.Train : RegularityMode.Eval;
            int rows = 1 + call % 4;
            double[,] data = new double[rows, 3];
            for (int i = 0; i < rows; i++)
                for (int j = 0; j < 3; j++) data[i, j] = call == 1 ? 0.25 : rng.NextDouble() * 2 - 0.5 + 0.1 * call;
            Tensor prior = tensor(Enumerable.Range(0, rows).Select(i => 1.0 / (1 + i % 2)).ToArray());
            withGrad.SetPrior(prior);
            noGrad.SetPrior(prior);
            double[] a = Values(withGrad.forward(tensor(data).requires_grad_()));
            double[] b = Values(noGrad.forward(tensor(data)));
            for (int i = 0; i < a.Length; i++) Assert.True(Math.Abs(a[i] - b[i]) <= 1e-10 * Math.Max(1, Math.Abs(a[i])), $"{name} call {call} output {i}: {a[i]} vs {b[i]}");
            RegularitySnapshot sa = withGrad.Snapshot(), sb = noGrad.Snapshot();
            Assert.Equal(sa.Count, sb.Count);
            Assert.Equal(sa.Mean, sb.Mean, 10);
            Assert.Equal(sa.Std, sb.Std, 10);
            Assert.Equal(sa.Comp, sb.Comp, 10);
            Assert.Equal(sa.CodeLength is null, sb.CodeLength is null);
            if (sa.CodeLength is double la) Assert.Equal(la, sb.CodeLength!.Value, 10);
        }
    }

    [Fact]
    public void UniformPriorOfOneGivesExactlyRn()
    {
        // With one reward class every s_b is 1, so rnr's row scales all equal l: output and gradient must be rn's, bit
        // for bit (a comparison of rn and rnr on CartPole, all rewards +1, relies on it).
        var rn = Normalizers.Create(NormalizerKind.RN, 8, NormalizerOptions.Default, "rn");
        var rnr = (RegularityNormalization)Normalizers.Create(NormalizerKind.RNR, 8, NormalizerOptions.Default, "rnr");
        var rng = new Random(3);
        for (int call = 0; call < 4; call++)
        {
            using var scope = NewDisposeScope();
            float[] data = [.. Enumerable.Range(0, 5 * 8).Select(_ => (float)(rng.NextDouble() * 2 - 1))];
            Tensor w = tensor(Enumerable.Range(0, 8).Select(i => 0.5f + i).ToArray());
            Tensor xa = tensor(data, [5, 8]).requires_grad_(), xb = tensor(data, [5, 8]).requires_grad_();
            rnr.SetPrior(ones(5, dtype: ScalarType.Float64));
            Tensor ya = rn.forward(xa), yb = rnr.forward(xb);
            (ya * w).sum().backward();
            (yb * w).sum().backward();
            Assert.Equal(ya.data<float>().ToArray(), yb.data<float>().ToArray());
            Assert.Equal(xa.grad!.data<float>().ToArray(), xb.grad!.data<float>().ToArray());
        }
    }

    private sealed class ToleranceComparer(double tolerance) : IEqualityComparer<double>
    {
        public bool Equals(double x, double y) => Math.Abs(x - y) <= tolerance;
        public int GetHashCode(double obj) => 0;
    }

    [Fact]
    public void EveryKindHasOneDescriptorAndItsNameParsesBack()
    {
        NormalizerKind[] kinds = Enum.GetValues<NormalizerKind>();
        Assert.Equal(kinds.Length, Normalizers.All.Count);
        foreach (NormalizerKind kind in kinds)
        {
            NormalizerDescriptor d = Normalizers.Describe(kind);
            Assert.Equal(kind, d.Kind);
            Assert.Equal(kind, Normalizers.Parse(d.Name));
            Assert.Equal(kind, Normalizers.Parse(d.Name.ToUpperInvariant()));
            // Config files write the kind as its name (the enum's JSON form is the name).
            Assert.Equal($"\"{d.Name}\"", System.Text.Json.JsonSerializer.Serialize(kind, new System.Text.Json.JsonSerializerOptions
            {
                Converters = { new System.Text.Json.Serialization.JsonStringEnumConverter(System.Text.Json.JsonNamingPolicy.SnakeCaseLower) },
            }).ToLowerInvariant());
        }
        Assert.Equal(["none", "bn", "ln", "wn", "rn", "rln", "rnln", "rnr", "probe"], Normalizers.Names);
        Assert.Equal([NormalizerKind.RNR], Normalizers.All.Where(d => d.TakesRewardPrior).Select(d => d.Kind));
        Assert.DoesNotContain(NormalizerKind.RNLN, Normalizers.All.Where(d => d.NormalizesOutputs).Select(d => d.Kind));
    }
}
