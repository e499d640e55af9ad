using System.Globalization;
using System.Text.Json.Nodes;
using RLRegularity.Agents.Common;
using RLRegularity.Envs.Core;

namespace RLRegularity.Agents.Tests;

/// <summary>Evaluation during training: it never changes the training run, it evaluates the very policy being trained,
/// and it resumes exactly.</summary>
public sealed class EvaluationTests : IDisposable
{
    private readonly string _root = Directory.CreateTempSubdirectory("rlreg-eval-during").FullName;

    public void Dispose() => Directory.Delete(_root, recursive: true);

    private static string Rows(string path, int columns) =>
        string.Join('\n', File.ReadLines(path).Select(l => string.Join(',', l.Split(',').Take(columns))));

    public static TheoryData<string, string, string> Agents() => new()
    {
        { "ppo", "classic", "rn" },
        // The paper's DQN updates RN while acting: evaluation must leave that state alone.
        { "dqn", "paper", "rn" },
    };

    private static (RunSettings, JsonObject) Setup(string agent, string preset, string norm, long? evalEvery)
    {
        string[] overrides = agent == "ppo" ? ["num_steps=64", $"normalizer=\"{norm}\""] : ["learning_starts=200", $"normalizer=\"{norm}\""];
        return (new RunSettings(agent, "CartPole-v1", 2, 3072, preset, 1, 1024, 1, EvalEvery: evalEvery, EvalEpisodes: 3),
                AgentFactory.Resolve(agent, preset, null, overrides));
    }

    [Theory]
    [MemberData(nameof(Agents))]
    public void EvaluatingLeavesTheTrainingRunAsItWouldBe(string agent, string preset, string norm)
    {
        string with = Path.Combine(_root, $"{agent}-with"), without = Path.Combine(_root, $"{agent}-without");
        (RunSettings s1, JsonObject c1) = Setup(agent, preset, norm, 1000);
        (RunSettings s2, JsonObject c2) = Setup(agent, preset, norm, null);
        using (var run = TrainingRun.Create(with, s1, c1)) run.Run(CancellationToken.None);
        using (var run = TrainingRun.Create(without, s2, c2)) run.Run(CancellationToken.None);
        Assert.Equal(Rows(Path.Combine(without, "episodes.csv"), 4), Rows(Path.Combine(with, "episodes.csv"), 4));
        Assert.Equal(Rows(Path.Combine(without, "updates.csv"), 6), Rows(Path.Combine(with, "updates.csv"), 6));
        Assert.Equal(Rows(Path.Combine(without, "regularity.csv"), 10), Rows(Path.Combine(with, "regularity.csv"), 10));
        Assert.False(File.Exists(Path.Combine(without, "evals.csv")));
        // One evaluation after the first update at or past 1000, 2000 and 3000 steps.
        string[] evals = [.. File.ReadLines(Path.Combine(with, "evals.csv")).Skip(1)];
        Assert.Equal(3, evals.Length);
        Assert.Equal(["1", "2", "3"], evals.Select(e => e.Split(',')[1]));
        Assert.All(evals.Select(e => long.Parse(e.Split(',')[0], CultureInfo.InvariantCulture)).Zip([1000L, 2000, 3000]), p => Assert.InRange(p.First, p.Second, p.Second + 256));
    }

    [Fact]
    public void TheLastEvaluationIsThePolicyBeingTrained()
    {
        // An evaluation at the very last update: its episodes, replayed with the trained learner itself, agree.
        (RunSettings settings, JsonObject config) = Setup("ppo", "classic", "rn", 3072);
        string folder = Path.Combine(_root, "faithful");
        using var run = TrainingRun.Create(folder, settings, config);
        run.Run(CancellationToken.None);
        string last = File.ReadLines(Path.Combine(folder, "evals.csv")).Last();
        double logged = double.Parse(last.Split(',')[2], CultureInfo.InvariantCulture);
        using IEnv env = EnvRegistry.Make("CartPole-v1");
        double total = 0;
        for (int i = 0; i < settings.EvalEpisodes; i++)
        {
            float[] observation = env.Reset(1_000_000_000 + 1000 * settings.Seed + i).Observation;
            while (true)
            {
                StepResult r = env.Step(run.Learner.Policy.Act(observation, deterministic: true));
                total += r.Reward;
                if (r.Done) break;
                observation = r.Observation;
            }
        }
        Assert.Equal(total / settings.EvalEpisodes, logged, 12);
    }

    [Fact]
    public void EvaluationsResumeExactly()
    {
        (RunSettings settings, JsonObject config) = Setup("ppo", "classic", "rn", 700);
        string whole = Path.Combine(_root, "resume-whole"), split = Path.Combine(_root, "resume-split");
        using (var run = TrainingRun.Create(whole, settings, config)) run.Run(CancellationToken.None);
        using (var run = TrainingRun.Create(split, settings, config))
        {
            using var stop = new CancellationTokenSource();
            run.ProgressInterval = TimeSpan.Zero;
            run.Progress = p => { if (p.Step >= 1900) stop.Cancel(); };
            Assert.Equal(RunOutcome.Interrupted, run.Run(stop.Token));
        }
        // Rows an interrupted process wrote past its checkpoint are cut back.
        File.AppendAllText(Path.Combine(split, "evals.csv"), "99999,9,1,0,1,3\n");
        using (var run = TrainingRun.Resume(split)) run.Run(CancellationToken.None);
        Assert.Equal(File.ReadAllText(Path.Combine(whole, "evals.csv")), File.ReadAllText(Path.Combine(split, "evals.csv")));
    }
}
