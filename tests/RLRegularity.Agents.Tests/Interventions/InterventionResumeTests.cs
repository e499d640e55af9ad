using System.Text.Json.Nodes;
using RLRegularity.Agents.Common;
using RLRegularity.Agents.Dqn;
using RLRegularity.Agents.Interventions;
using RLRegularity.Agents.Ppo;

namespace RLRegularity.Agents.Tests.Interventions;

/// <summary>
/// Every intervention's state is in the checkpoints: a run interrupted at step 2,500 and resumed writes the same
/// episodes.csv and updates.csv (wall-clock columns aside) as the uninterrupted run, for PPO and DQN. The options make
/// every intervention act several times on both sides of the interruption.
/// </summary>
public sealed class InterventionResumeTests : IDisposable
{
    private readonly string _root = Directory.CreateTempSubdirectory("rlreg-intervention-resume").FullName;

    public void Dispose() => Directory.Delete(_root, recursive: true);

    private static readonly string[] Options =
        ["intervention_options.reset_every=700", "intervention_options.redo_every=40", "intervention_options.redo_threshold=0.5",
         "intervention_options.l2_init_coefficient=0.01", "intervention_options.shrink_factor=0.999", "intervention_options.perturb_scale=0.001"];

    private static (RunSettings Settings, JsonObject Config, int UpdateColumns) Run(string agent, string intervention) => agent switch
    {
        "ppo" => (new RunSettings("ppo", "CartPole-v1", 5, 3072, "classic", 1, 1024, 1),
                  AgentFactory.Resolve("ppo", "classic", null, ["num_steps=64", $"intervention=\"{intervention}\"", .. Options]), 11),
        _ => (new RunSettings("dqn", "CartPole-v1", 5, 3072, "paper", 1, 1024, 1),
              AgentFactory.Resolve("dqn", "paper", null, [$"intervention=\"{intervention}\"", .. Options]), 9),
    };

    private static string Rows(string path, int columns) =>
        string.Join('\n', File.ReadLines(path).Select(l => string.Join(',', l.Split(',').Take(columns))));

    private static PlasticityIntervention? InterventionOf(ILearner learner) => learner switch
    {
        PpoLearner ppo => ppo.Intervention,
        DqnLearner dqn => dqn.Intervention,
        _ => null,
    };

    [Theory]
    [InlineData("ppo", "l2init")]
    [InlineData("ppo", "snp")]
    [InlineData("ppo", "reset")]
    [InlineData("ppo", "redo")]
    [InlineData("dqn", "l2init")]
    [InlineData("dqn", "snp")]
    [InlineData("dqn", "reset")]
    [InlineData("dqn", "redo")]
    public void AnInterruptedAndResumedRunEqualsTheUninterruptedOne(string agent, string intervention)
    {
        var (settings, config, updateColumns) = Run(agent, intervention);
        string whole = Path.Combine(_root, "whole"), split = Path.Combine(_root, "split");
        long applications;
        using (var run = TrainingRun.Create(whole, settings, config))
        {
            Assert.Equal(RunOutcome.Completed, run.Run(CancellationToken.None));
            PlasticityIntervention acting = InterventionOf(run.Learner)!;
            Assert.Equal(Enum.Parse<InterventionKind>(intervention, ignoreCase: true), acting.Kind);
            applications = acting.Applications;
        }
        if (intervention != "l2init") Assert.True(applications >= 2, $"{intervention} acted {applications} times");

        using (var run = TrainingRun.Create(split, settings, config))
        {
            using var stop = new CancellationTokenSource();
            run.ProgressInterval = TimeSpan.Zero;
            run.Progress = p => { if (p.Step >= 2500) stop.Cancel(); };
            Assert.Equal(RunOutcome.Interrupted, run.Run(stop.Token));
        }
        Assert.True(File.Exists(Path.Combine(TrainingRun.LatestCheckpoint(split)!, "intervention.state")));
        using (var run = TrainingRun.Resume(split, new ResumeOptions()))
        {
            Assert.Equal(RunOutcome.Completed, run.Run(CancellationToken.None));
            Assert.Equal(applications, InterventionOf(run.Learner)!.Applications);
        }
        Assert.Equal(Rows(Path.Combine(whole, "episodes.csv"), 4), Rows(Path.Combine(split, "episodes.csv"), 4));
        Assert.Equal(Rows(Path.Combine(whole, "updates.csv"), updateColumns), Rows(Path.Combine(split, "updates.csv"), updateColumns));
    }

    [Theory]
    [InlineData("ppo")]
    [InlineData("dqn")]
    public void AnInterventionChangesTheRunAndNoneWritesNoInterventionState(string agent)
    {
        var (settings, none, _) = Run(agent, "none");
        var (_, snp, _) = Run(agent, "snp");
        string a = Path.Combine(_root, "none"), b = Path.Combine(_root, "snp");
        using (var run = TrainingRun.Create(a, settings with { Steps = 1024 }, none))
        {
            run.Run(CancellationToken.None);
            Assert.Null(InterventionOf(run.Learner));
        }
        using (var run = TrainingRun.Create(b, settings with { Steps = 1024 }, snp)) run.Run(CancellationToken.None);
        Assert.False(File.Exists(Path.Combine(TrainingRun.LatestCheckpoint(a)!, "intervention.state")));
        Assert.NotEqual(File.ReadAllText(Path.Combine(a, "updates.csv")), File.ReadAllText(Path.Combine(b, "updates.csv")));
    }
}
