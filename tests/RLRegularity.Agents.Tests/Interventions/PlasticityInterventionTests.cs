using RLRegularity.Agents.Interventions;
using RLRegularity.Envs.Core;
using RLRegularity.Networks;
using RLRegularity.Normalization;
using RLRegularity.Optimization;
using RLRegularity.Tensors;
using TorchSharp;
using static TorchSharp.torch;

namespace RLRegularity.Agents.Tests.Interventions;

/// <summary>
/// Each intervention's effect on a tiny MLP (3 → 4 → 2, ReLU), against values derived by hand: l2init's gradient term is
/// 2λ(θ − θ₀); snp is the identity at α = 1, σ = 0, halves the parameters at α = 0.5, σ = 0, and mixes in the network
/// drawn from its own stream's first seed; reset replaces the output layer by that draw and zeroes its Adam moments;
/// redo re-initialises exactly the dormant unit's incoming row, zeroes its outgoing column and their moments.
/// </summary>
public sealed class PlasticityInterventionTests
{
    private const long Seed = 11;
    private static readonly MlpSpec Spec = new(3, [4], 2, Activation.ReLU, NormalizerKind.None, NormalizerOptions.Default);

    public PlasticityInterventionTests() => TorchRuntime.Initialize(1);

    private static Mlp Network() => TorchRuntime.Seeded(3, () => new Mlp(Spec));

    private static FreshNetworks Fresh(long seed)
    {
        Mlp network = TorchRuntime.Seeded(seed, () => new Mlp(Spec));
        return new FreshNetworks([.. network.parameters()], [("net", network)], network);
    }

    // The network the intervention's k-th fresh draw builds: seeds come from its own stream, RngStreams.Intervention.
    private static Mlp Draw(int k)
    {
        var rng = new Rng(Seed, RngStreams.Intervention);
        long seed = 0;
        for (int i = 0; i <= k; i++) seed = (long)(rng.NextUInt64() >> 1);
        return TorchRuntime.Seeded(seed, () => new Mlp(Spec));
    }

    private static (Mlp Network, DirectAdam Adam, PlasticityIntervention Intervention) Setup(InterventionKind kind, InterventionOptions options)
    {
        Mlp network = Network();
        var adam = new DirectAdam(network.parameters(), 0.01);
        return (network, adam, new PlasticityIntervention(kind, options, adam, [("net", network)], Fresh, Seed));
    }

    private static float[] Values(Tensor t) => TensorMemory.Span<float>(t).ToArray();

    private static void Train(Mlp network, DirectAdam adam, int steps)
    {
        for (int s = 0; s < steps; s++)
        {
            adam.ZeroGrad();
            using var scope = NewDisposeScope();
            Tensor x = tensor(new float[] { 1, -2, 0.5f, 0.3f, 0.7f, -1 }, [2, 3]);
            network.forward(x).square().sum().backward();
            adam.Step();
        }
    }

    [Fact]
    public void L2InitAddsTwiceLambdaTimesTheDistanceFromTheInitialParametersToTheGradient()
    {
        var (network, adam, intervention) = Setup(InterventionKind.L2init, new InterventionOptions { L2InitCoefficient = 0.25 });
        float[][] initial = [.. network.parameters().Select(Values)];
        using (no_grad()) foreach (var p in network.parameters()) p.add_(0.5);
        adam.ZeroGrad();
        network.forward(tensor(new float[] { 1, -2, 0.5f }, [1, 3])).sum().backward();
        float[][] before = [.. network.parameters().Select(p => Values(p.grad!))];
        intervention.AfterBackward();
        var parameters = network.parameters().ToArray();
        for (int i = 0; i < parameters.Length; i++)
        {
            float[] after = Values(parameters[i].grad!), theta = Values(parameters[i]);
            for (int e = 0; e < after.Length; e++)
            {
                Assert.Equal(before[i][e] + 2 * 0.25f * (theta[e] - initial[i][e]), after[e], 6);
                Assert.Equal(before[i][e] + 0.25f, after[e], 5); // θ − θ₀ = 0.5 everywhere: the term is 2 · 0.25 · 0.5
            }
        }
    }

    [Fact]
    public void ShrinkAndPerturbIsTheIdentityAtAlphaOneSigmaZeroAndHalvesAtAlphaHalf()
    {
        var (identity, _, keep) = Setup(InterventionKind.Snp, new InterventionOptions { ShrinkFactor = 1, PerturbScale = 0 });
        float[][] before = [.. identity.parameters().Select(Values)];
        keep.ShrinkAndPerturb();
        Assert.Equal(before, identity.parameters().Select(Values).ToArray());

        var (halved, _, halve) = Setup(InterventionKind.Snp, new InterventionOptions { ShrinkFactor = 0.5, PerturbScale = 0 });
        halve.ShrinkAndPerturb();
        Assert.Equal(before.Select(p => p.Select(v => v * 0.5f).ToArray()).ToArray(), halved.parameters().Select(Values).ToArray());
    }

    [Fact]
    public void ShrinkAndPerturbMixesInTheNetworkDrawnFromItsOwnStream()
    {
        var (network, adam, intervention) = Setup(InterventionKind.Snp, new InterventionOptions { ShrinkFactor = 0.75, PerturbScale = 0.5 });
        float[][] before = [.. network.parameters().Select(Values)];
        intervention.AfterOptimizerStep(() => throw new InvalidOperationException("snp reads no batch"));
        using Mlp drawn = Draw(0);
        float[][] fresh = [.. drawn.parameters().Select(Values)];
        float[][] after = [.. network.parameters().Select(Values)];
        for (int i = 0; i < before.Length; i++)
            for (int e = 0; e < before[i].Length; e++) Assert.Equal(0.75f * before[i][e] + 0.5f * fresh[i][e], after[i][e], 6);
        Assert.Equal(1, intervention.GradientSteps);
        Assert.Equal(1, intervention.Applications);
        Assert.Equal(0, adam.StepCount); // it never steps the optimizer itself
    }

    [Fact]
    public void ResetRestoresTheOutputLayerFromTheInitialDistributionAndZeroesItsMoments()
    {
        var (network, adam, intervention) = Setup(InterventionKind.Reset, new InterventionOptions { ResetEvery = 100, ResetLayers = 1 });
        Train(network, adam, 3);
        var parameters = network.parameters().ToArray(); // fc1.weight, fc1.bias, fc2.weight, fc2.bias
        float[][] trained = [.. parameters.Select(Values)];
        var moments = parameters.Select(adam.Moments).ToArray();

        intervention.AtEnvironmentStep(99);
        Assert.Equal(trained, parameters.Select(Values).ToArray()); // not yet
        intervention.AtEnvironmentStep(100);
        using Mlp drawn = Draw(0);
        var fresh = drawn.parameters().ToArray();
        for (int i = 0; i < 2; i++)
        {
            Assert.Equal(trained[i], Values(parameters[i]));     // fc1 untouched, moments too
            Assert.Equal(moments[i].First, adam.Moments(parameters[i]).First);
            Assert.Equal(moments[i].Second, adam.Moments(parameters[i]).Second);
        }
        for (int i = 2; i < 4; i++)
        {
            Assert.Equal(Values(fresh[i]), Values(parameters[i])); // fc2 is the fresh draw's fc2, moments zero
            Assert.All(adam.Moments(parameters[i]).First.Concat(adam.Moments(parameters[i]).Second), v => Assert.Equal(0, v));
        }
        Assert.Equal(1, intervention.Applications);
        intervention.AtEnvironmentStep(150);
        Assert.Equal(1, intervention.Applications); // next at 200
        intervention.AtEnvironmentStep(450);
        Assert.Equal(2, intervention.Applications); // once, however many periods an update crossed; next at 500
        intervention.AtEnvironmentStep(499);
        Assert.Equal(2, intervention.Applications);
    }

    [Fact]
    public void RedoReinitialisesOnlyTheDormantUnitsIncomingRowZeroesItsOutgoingColumnAndTheirMoments()
    {
        var (network, adam, intervention) = Setup(InterventionKind.Redo, new InterventionOptions { RedoEvery = 2, RedoThreshold = 0.025 });
        Train(network, adam, 2);
        var parameters = network.parameters().ToArray(); // fc1.weight [4, 3], fc1.bias [4], fc2.weight [2, 4], fc2.bias [2]
        // Units 0, 2, 3 of fc1 fire on positive inputs; unit 1 never does (zero weights, negative bias): it is dormant.
        using (no_grad())
        {
            parameters[0].copy_(tensor(new float[] { 1, 0.5f, 0.2f, 0, 0, 0, 0.3f, 1, 0.1f, 0.2f, 0.2f, 1 }, [4, 3]));
            parameters[1].copy_(tensor(new float[] { 0.1f, -1, 0.1f, 0.1f }));
        }
        float[][] before = [.. parameters.Select(Values)];
        var moments = parameters.Select(adam.Moments).ToArray();
        Tensor batch = tensor(new float[] { 1, 2, 3, 0.5f, 0.1f, 2, 3, 1, 0.2f }, [3, 3]);

        intervention.AfterOptimizerStep(() => batch);
        Assert.Empty(intervention.LastRecycled); // step 1: no recycle due
        Assert.Equal(before, parameters.Select(Values).ToArray());
        intervention.AfterOptimizerStep(() => batch);
        var (net, layer, units) = Assert.Single(intervention.LastRecycled);
        Assert.Equal(("net", "fc1"), (net, layer));
        Assert.Equal([1], units);

        using Mlp drawn = Draw(0);
        float[][] fresh = [.. drawn.parameters().Select(Values)];
        float[][] after = [.. parameters.Select(Values)];
        var momentsAfter = parameters.Select(adam.Moments).ToArray();
        // Which elements change, per parameter, and to what: row 1 of fc1.weight (elements 3..5) and fc1.bias[1] from the
        // fresh draw; column 1 of fc2.weight (elements 1 and 5) to 0; nothing else.
        var changed = new Dictionary<(int, int), float>
        {
            [(0, 3)] = fresh[0][3], [(0, 4)] = fresh[0][4], [(0, 5)] = fresh[0][5], [(1, 1)] = fresh[1][1], [(2, 1)] = 0, [(2, 5)] = 0,
        };
        for (int p = 0; p < parameters.Length; p++)
        {
            for (int e = 0; e < after[p].Length; e++)
            {
                bool reset = changed.TryGetValue((p, e), out float expected);
                Assert.Equal(reset ? expected : before[p][e], after[p][e]);
                Assert.Equal(reset ? 0 : moments[p].First[e], momentsAfter[p].First[e]);
                Assert.Equal(reset ? 0 : moments[p].Second[e], momentsAfter[p].Second[e]);
            }
        }
    }

    [Fact]
    public void RedoUnderWeightNormZeroesTheDormantUnitsOutgoingEffectiveWeightsAndKeepsTheOthers()
    {
        var spec = Spec with { Normalizer = NormalizerKind.WN };
        Mlp network = TorchRuntime.Seeded(3, () => new Mlp(spec));
        var adam = new DirectAdam(network.parameters(), 0.01);
        FreshNetworks Draw(long seed)
        {
            Mlp drawn = TorchRuntime.Seeded(seed, () => new Mlp(spec));
            return new FreshNetworks([.. drawn.parameters()], [("net", drawn)], drawn);
        }
        var intervention = new PlasticityIntervention(InterventionKind.Redo, new InterventionOptions { RedoEvery = 1 }, adam, [("net", network)], Draw, Seed);
        var fc1 = (WeightNormLinear)network.Linears()[0].Linear;
        var fc2 = (WeightNormLinear)network.Linears()[1].Linear;
        var p1 = fc1.named_parameters().ToDictionary(p => p.name, p => p.parameter);
        using (no_grad())
        {
            p1["weight_v"].abs_();
            p1["weight_g"][1].zero_();           // unit 1's effective incoming weights are 0 and its bias negative: dormant
            p1["bias"].copy_(tensor(new float[] { 0.1f, -1, 0.1f, 0.1f }));
        }
        Tensor before;
        using (no_grad()) before = fc2.Weight().clone();
        intervention.AfterOptimizerStep(() => tensor(new float[] { 1, 2, 3, 0.5f, 0.1f, 2 }, [2, 3]));
        Assert.Equal([1], Assert.Single(intervention.LastRecycled).Units);
        float[] after, expected;
        using (no_grad())
        {
            after = Values(fc2.Weight().contiguous());
            expected = Values(before.contiguous());
        }
        for (int r = 0; r < 2; r++)
            for (int c = 0; c < 4; c++) Assert.Equal(c == 1 ? 0 : expected[r * 4 + c], after[r * 4 + c], 5);
    }

    [Fact]
    public void NoneIsNotAnIntervention()
    {
        Mlp network = Network();
        var adam = new DirectAdam(network.parameters(), 0.01);
        Assert.Throws<ArgumentException>(() => new PlasticityIntervention(InterventionKind.None, InterventionOptions.Default, adam, [("net", network)], Fresh, Seed));
    }
}
