using System.Text.Json;
using RLRegularity.Normalization;
using RLRegularity.TestSupport;
using TorchSharp;
using static TorchSharp.torch;

namespace RLRegularity.Tests.Normalization;

/// <summary>
/// Every call of every vector file in tests/reference/rn-vectors (or the folder named by RLREG_RN_VECTORS, e.g. freshly
/// generated vectors) is reproduced through the public API, in float64 and float32 layers, with the README's tolerances.
/// </summary>
public sealed class RnVectorTests
{
    private static string Folder =>
        Environment.GetEnvironmentVariable("RLREG_RN_VECTORS") is { Length: > 0 } custom
            ? (Directory.Exists(custom) ? custom : throw new DirectoryNotFoundException($"RLREG_RN_VECTORS points to '{custom}', which does not exist"))
            : Path.Combine(ReferenceData.Root, "rn-vectors");

    public static TheoryData<string, bool> Files()
    {
        var data = new TheoryData<string, bool>();
        string[] files = Directory.GetFiles(Folder, "*.json").Order(StringComparer.Ordinal).ToArray();
        if (files.Length == 0) throw new FileNotFoundException($"no RN vector files in '{Folder}'");
        foreach (string f in files)
        {
            data.Add(Path.GetFileName(f), true);
            data.Add(Path.GetFileName(f), false);
        }
        return data;
    }

    [Theory]
    [MemberData(nameof(Files))]
    public void VectorFileIsReproduced(string file, bool float64) => ReplayFile(Path.Combine(Folder, file), float64);

    /// <summary>Replays every call of the vector file at <paramref name="path"/> through a float64 or float32 layer.</summary>
    internal static void ReplayFile(string path, bool float64)
    {
        TorchRuntime.Initialize(1);
        string file = Path.GetFileName(path);
        using var doc = JsonDocument.Parse(File.ReadAllBytes(path));
        JsonElement root = doc.RootElement;
        string variant = root.GetProperty("variant").GetString()!;
        if (root.TryGetProperty("cases", out JsonElement cases))
        {
            foreach (JsonProperty c in cases.EnumerateObject()) Replay(variant, c.Value, float64, $"{file}/{c.Name}");
        }
        else
        {
            Replay(variant, root.GetProperty("calls"), float64, file);
        }
    }

    private static void Replay(string variant, JsonElement calls, bool float64, string where)
    {
        var options = NormalizerOptions.Default with { DType = float64 ? ScalarType.Float64 : ScalarType.Float32 };
        int width = calls.EnumerateArray().First().GetProperty("input")[0].GetArrayLength();
        nn.Module<Tensor, Tensor> layer = variant switch
        {
            "rln" => new RegularityNormalization("v", width, options, perUnit: true),
            "rn_prior" => new RegularityNormalization("v", width, options, acceptsPrior: true),
            "ln_then_rn" => new LayerThenRegularity("v", width, options),
            _ => new RegularityNormalization("v", width, options),
        };
        var detached = variant switch
        {
            "rln" => new RegularityNormalization("d", width, options with { StopGradientThroughCodeLength = true }, perUnit: true),
            "rn_prior" => new RegularityNormalization("d", width, options with { StopGradientThroughCodeLength = true }, acceptsPrior: true),
            "ln_then_rn" => (nn.Module<Tensor, Tensor>)new LayerThenRegularity("d", width, options with { StopGradientThroughCodeLength = true }),
            _ => new RegularityNormalization("d", width, options with { StopGradientThroughCodeLength = true }),
        };
        if (float64)
        {
            layer.to(ScalarType.Float64);
            detached.to(ScalarType.Float64);
        }
        double relTol = float64 ? 1e-12 : 1e-5, absTol = float64 ? 1e-12 : 1e-6, gradRel = float64 ? 1e-10 : 1e-4, gradAbs = float64 ? 1e-12 : 1e-6;
        var rn = (IRegularityLayer)layer;
        foreach (JsonElement call in calls.EnumerateArray())
        {
            int index = call.GetProperty("index").GetInt32();
            string at = $"{where} call {index} ({(float64 ? "float64" : "float32")})";
            bool train = call.GetProperty("mode").GetString() == "train";
            if (call.TryGetProperty("state_before", out JsonElement before))
                Assert.Equal(before.GetProperty("count").GetInt64(), rn.Snapshot().Count);
            rn.ModeOverride = train ? RegularityMode.Train : RegularityMode.Eval;
            ((IRegularityLayer)detached).ModeOverride = rn.ModeOverride;
            double[,] input = Matrix(call.GetProperty("input"));
            Tensor? prior = call.TryGetProperty("prior", out JsonElement p) && p.ValueKind == JsonValueKind.Array
                ? tensor(p.EnumerateArray().Select(v => v.GetDouble()).ToArray()) : null;
            if (call.TryGetProperty("prior_source", out JsonElement source) && source.GetProperty("type").GetString() == "reward_sign_frequency")
            {
                double[] fromRewards = RewardPrior.FromRewards(source.GetProperty("rewards").EnumerateArray().Select(v => v.GetDouble()).ToArray());
                Near(p.EnumerateArray().Select(v => v.GetDouble()).ToArray(), fromRewards, 1e-15, 0, at + " prior from rewards");
            }

            using var scope = NewDisposeScope();
            Tensor x = ToTensor(input, float64).requires_grad_();
            rn.SetPrior(prior);
            Tensor y = layer.forward(x);
            y.sum().backward();
            Near(Flat(call.GetProperty("output")), y.detach().to(ScalarType.Float64).data<double>().ToArray(), relTol, absTol, at + " output");
            double callGradAbs = float64 || variant != "ln_then_rn" ? gradAbs : Math.Max(gradAbs, LayerNormFloat32GradientFloor(input, call));
            if (call.TryGetProperty("grad_full", out JsonElement gradFull)) // slim records (the long run) have no gradients
                Near(Flat(gradFull), x.grad!.to(ScalarType.Float64).data<double>().ToArray(), gradRel, callGradAbs, at + " grad_full");

            // The stop-gradient twin sees the same calls, so its state stays equal to the main layer's.
            Tensor x2 = ToTensor(input, float64).requires_grad_();
            ((IRegularityLayer)detached).SetPrior(prior);
            detached.forward(x2).sum().backward();
            if (call.TryGetProperty("grad_scale_detached", out JsonElement gradDetached))
                Near(Flat(gradDetached), x2.grad!.to(ScalarType.Float64).data<double>().ToArray(), gradRel, callGradAbs, at + " grad_scale_detached");

            RegularitySnapshot s = rn.Snapshot();
            JsonElement after = call.GetProperty("state_after");
            Assert.Equal(after.GetProperty("initialized").GetBoolean(), s.Initialized);
            Assert.Equal(after.GetProperty("count").GetInt64(), s.Count);
            if (after.GetProperty("mean").ValueKind == JsonValueKind.Number)
            {
                Near([after.GetProperty("mean").GetDouble()], [s.Mean], relTol, absTol, at + " mean");
                Near([after.GetProperty("std").GetDouble()], [s.Std], relTol, absTol, at + " std");
            }
            JsonElement comp = after.GetProperty("comp");
            double expectedComp = comp.ValueKind == JsonValueKind.Array ? comp.EnumerateArray().Average(v => v.GetDouble()) : comp.GetDouble();
            Near([expectedComp], [s.Comp], relTol, absTol, at + " comp");
            JsonElement l = call.GetProperty("l_nml");
            if (call.TryGetProperty("comp", out JsonElement callComp) && callComp.ValueKind != JsonValueKind.Null)
            {
                double c = callComp.ValueKind == JsonValueKind.Array ? callComp.EnumerateArray().Average(v => v.GetDouble()) : callComp.GetDouble();
                Near([c], [s.Comp], relTol, absTol, at + " call comp");
            }
            if (l.ValueKind == JsonValueKind.Null) Assert.Null(s.CodeLength);
            else
            {
                double expected = l.ValueKind == JsonValueKind.Array ? l.EnumerateArray().Average(v => v.GetDouble()) : l.GetDouble();
                Assert.NotNull(s.CodeLength);
                Near([expected], [s.CodeLength!.Value], relTol, absTol, at + " l_nml");
            }
            if (call.TryGetProperty("l_nml_with_prior", out JsonElement lp) && lp.ValueKind == JsonValueKind.Array)
                Near([lp.EnumerateArray().Average(v => v.GetDouble())], [s.CodeLengthBatchMean!.Value], relTol, absTol, at + " l_nml_with_prior");
        }
    }

    /// <summary>
    /// The absolute rounding floor of a float32 LayerNorm backward. With a scalar RN scale l, the gradient of
    /// sum(l·LN(x)) is exactly zero, but float32 computes it as l/σ · (1 − mean(x̂²) − x̂·mean(x̂)) with terms of size
    /// l/σ that cancel, leaving a few float32 ulps of l/σ (the vectors' README suggests a flat 1e-6, which rows with a
    /// small σ or a large l exceed by rounding alone). 16 ulps of the largest l/σ in the call bounds it.
    /// </summary>
    private static double LayerNormFloat32GradientFloor(double[,] input, JsonElement call)
    {
        JsonElement l = call.GetProperty("l_nml");
        double scale = l.ValueKind switch
        {
            JsonValueKind.Number => Math.Abs(l.GetDouble()),
            JsonValueKind.Array => l.EnumerateArray().Max(v => Math.Abs(v.GetDouble())),
            _ => 1,
        };
        double worst = 0;
        for (int r = 0; r < input.GetLength(0); r++)
        {
            int n = input.GetLength(1);
            double mean = 0, variance = 0;
            for (int c = 0; c < n; c++) mean += input[r, c] / n;
            for (int c = 0; c < n; c++) variance += (input[r, c] - mean) * (input[r, c] - mean) / n;
            worst = Math.Max(worst, Math.Max(1, scale) / Math.Sqrt(variance + 1e-5));
        }
        return 16 * Math.ScaleB(1, -23) * worst;
    }

    private static void Near(double[] expected, double[] actual, double rel, double abs, string what)
    {
        Assert.True(expected.Length == actual.Length, $"{what}: {actual.Length} values, expected {expected.Length}");
        for (int i = 0; i < expected.Length; i++)
        {
            double tolerance = Math.Max(abs, rel * Math.Abs(expected[i]));
            Assert.True(Math.Abs(expected[i] - actual[i]) <= tolerance, $"{what}[{i}]: expected {expected[i]:R}, got {actual[i]:R}");
        }
    }

    private static double[,] Matrix(JsonElement rows)
    {
        var list = rows.EnumerateArray().Select(r => r.EnumerateArray().Select(v => v.GetDouble()).ToArray()).ToArray();
        var m = new double[list.Length, list[0].Length];
        for (int i = 0; i < list.Length; i++)
            for (int j = 0; j < list[0].Length; j++) m[i, j] = list[i][j];
        return m;
    }

    private static double[] Flat(JsonElement rows) => [.. rows.EnumerateArray().SelectMany(r => r.EnumerateArray().Select(v => v.GetDouble()))];

    private static Tensor ToTensor(double[,] m, bool float64)
    {
        Tensor t = tensor(m);
        return float64 ? t : t.to(ScalarType.Float32);
    }
}
