using RLRegularity.Envs.Core;

namespace RLRegularity.Envs.Tests.MiniGrid;

/// <summary>
/// The uniform random policy's return, length and success rate on eight cheap, varied ids agree with Python Minigrid's
/// within four standard errors of the difference (computed from both sample sizes).
/// </summary>
public sealed class RandomPolicyStatsTests
{
    /// <summary>Our episodes per id: independent of the reference's (other seeds), a few seconds in all.</summary>
    private const int Episodes = 1000;

    /// <summary>Episode i is seeded FirstSeed + i: far from the reference's seeds 0..1999, so the two samples share no level.</summary>
    private const long FirstSeed = 1_000_000;

    /// <summary>Allowed |difference| in standard errors of the difference.</summary>
    private const double Sigmas = 4;

    /// <summary>
    /// Python reference: Minigrid 3.0.0 on Gymnasium (with NumPy's PCG64 seeding), 2000 episodes per id; episode i:
    /// <c>env.reset(seed=i)</c>, <c>env.action_space.seed(i)</c>, then <c>env.action_space.sample()</c> until terminated
    /// or truncated. Success is a positive return. Standard deviations are sample ones (n − 1).
    /// </summary>
    private sealed record Reference(string Id, double MeanReturn, double StdReturn, double MeanLength, double StdLength, double SuccessRate)
    {
        public const int Episodes = 2000;

        public override string ToString() => Id;
    }

    private static readonly Reference[] References =
    [
        new("MiniGrid-Empty-Random-5x5-v0", 0.3178080, 0.3593160, 70.3880, 35.24824, 0.5130),
        new("MiniGrid-DoorKey-5x5-v0", 0.0307026, 0.1148236, 243.7215, 25.28123, 0.0810),
        new("MiniGrid-Dynamic-Obstacles-Random-5x5-v0", -0.7801760, 0.6192229, 4.9260, 4.47331, 0.1120),
        new("MiniGrid-Fetch-5x5-N2-v0", 0.3191044, 0.3906805, 52.6320, 43.03568, 0.4450),
        new("MiniGrid-GoToObject-6x6-N2-v0", 0.0864525, 0.2784176, 3.3615, 2.80620, 0.0880),
        new("MiniGrid-MemoryS7-v0", 0.1709218, 0.3299420, 167.0405, 96.08241, 0.2350),
        new("MiniGrid-LavaGapS5-v0", 0.0358285, 0.1436581, 36.7305, 35.07084, 0.0670),
        new("MiniGrid-MultiRoom-N2-S4-v0", 0.0100513, 0.0726534, 39.6555, 2.64373, 0.0230),
    ];

    public static TheoryData<string> Ids()
    {
        var data = new TheoryData<string>();
        foreach (Reference r in References) data.Add(r.Id);
        return data;
    }

    [Theory]
    [MemberData(nameof(Ids))]
    public void RandomPolicyMatchesMinigrid(string id)
    {
        Reference py = References.Single(r => r.Id == id);
        using IEnv env = EnvRegistry.Make(id);
        EpisodeBatchSummary ours = RandomPolicyEvaluation.Run(env, Episodes, FirstSeed);

        AssertAgrees(id, "mean return", py.MeanReturn, py.StdReturn, ours.MeanReturn, ours.StdReturn);
        AssertAgrees(id, "mean length", py.MeanLength, py.StdLength, ours.MeanLength, ours.StdLength);
        AssertAgrees(id, "success rate", py.SuccessRate, BinomialStd(py.SuccessRate), ours.SuccessRate, BinomialStd(ours.SuccessRate));
    }

    private static double BinomialStd(double p) => Math.Sqrt(p * (1 - p));

    private static void AssertAgrees(string id, string what, double pyMean, double pyStd, double ourMean, double ourStd)
    {
        double se = Math.Sqrt(pyStd * pyStd / Reference.Episodes + ourStd * ourStd / Episodes);
        double diff = ourMean - pyMean;
        Assert.True(Math.Abs(diff) <= Sigmas * se,
                    $"{id} {what}: ours {ourMean:G6} over {Episodes} episodes, Minigrid {pyMean:G6} over {Reference.Episodes}; " +
                    $"difference {diff:G4} is {Math.Abs(diff) / se:F1} standard errors (allowed {Sigmas})");
    }
}
