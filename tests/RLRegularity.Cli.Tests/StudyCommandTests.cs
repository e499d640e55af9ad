using System.Text.Json.Nodes;

namespace RLRegularity.Cli.Tests;

/// <summary><c>rlreg compare --study</c>, <c>--status</c> and the hidden per-cell verbs, run locally, and their usage errors.</summary>
public sealed class StudyCommandTests : IDisposable
{
    private readonly string _root = Directory.CreateTempSubdirectory("rlreg-studycmd-").FullName;

    public void Dispose() => Directory.Delete(_root, recursive: true);

    [Fact]
    public void AStudyFileRunsOneReportPerGroupAndPlotsGroupByGroup()
    {
        string file = Path.Combine(_root, "lr.json");
        File.WriteAllText(file, """
            { "agents": ["ppo"], "envs": ["CartPole-v1"], "normalizers": ["none"], "seeds": [1], "steps": 256,
              "set": ["num_steps=64"], "learning_rate": [0.001, 0.0003] }
            """);
        string study = Path.Combine(_root, "study");
        var run = CliRunner.Run("compare", "--study", file, "--out", study, "--quiet", "--jobs", "2");
        Assert.True(run.ExitCode == 0, run.Error);
        Assert.Equal(2, File.ReadAllLines(Path.Combine(study, "cells.jsonl")).Length);

        JsonArray groups = JsonNode.Parse(File.ReadAllText(Path.Combine(study, "summary.json")))!["groups"]!.AsArray();
        Assert.Equal([0.001, 0.0003], groups.Select(g => g!["axes"]!["learning_rate"]!.GetValue<double>()));
        Assert.All(groups, g => Assert.Equal(1, g!["normalizers"]!["none"]!["runs"]!.GetValue<int>()));
        string md = File.ReadAllText(Path.Combine(study, "summary.md"));
        Assert.Contains("## learning_rate=0.001", md);
        Assert.Contains("## learning_rate=0.0003", md);

        var status = CliRunner.Run("compare", "--status", study);
        Assert.Equal(0, status.ExitCode);
        Assert.Contains("2 cells: 2 done, 0 running, 0 pending, 0 failed", status.Output);

        var again = CliRunner.Run("compare", "--run-cell", study, "--index", "1");
        Assert.Equal(0, again.ExitCode);
        Assert.Contains("already finished", again.Error);

        var plotAll = CliRunner.Run("plot", study);
        Assert.Equal(2, plotAll.ExitCode);
        Assert.Contains("study of 2 groups", plotAll.Error);
        var plotOne = CliRunner.Run("plot", Path.Combine(study, "learning_rate=0.001"), "--out", Path.Combine(_root, "lr.svg"));
        Assert.True(plotOne.ExitCode == 0, plotOne.Error);
    }

    [Fact]
    public void AnEpisodeBudgetRunsThePapersProtocolAndExportsTheMovingAverage()
    {
        string study = Path.Combine(_root, "paper");
        var run = CliRunner.Run("compare", "--agent", "dqn", "--preset", "paper", "--env", "CartPole-v1", "--norms", "none", "--seeds", "0,1",
            "--episodes", "30", "--epsilon-carryover", "--out", study, "--quiet");
        Assert.True(run.ExitCode == 0, run.Error);
        Assert.Equal(31, File.ReadAllLines(Path.Combine(study, "none", "s1", "episodes.csv")).Length);
        Assert.Contains("episode 30", File.ReadAllText(Path.Combine(study, "summary.md")));
        Assert.Contains("Paper protocol", File.ReadAllText(Path.Combine(study, "summary.md")));

        string runsCsv = Path.Combine(_root, "runs.csv");
        var export = CliRunner.Run("export", study, "--format", "runs", "--out", runsCsv);
        Assert.True(export.ExitCode == 0, export.Error);
        string[] ma50 = [.. File.ReadAllLines(runsCsv).Where(l => l.Contains(",final_return_ma50,"))];
        Assert.Equal(2, ma50.Length);
        // The later seed's command starts it at ε-end, so the row reproduces that run alone.
        Assert.Contains("--set epsilon_start=0.01", Assert.Single(ma50, l => l.StartsWith("dqn,CartPole-v1,none,1,")));
        Assert.DoesNotContain("epsilon_start", Assert.Single(ma50, l => l.StartsWith("dqn,CartPole-v1,none,0,")));

        var plot = CliRunner.Run("plot", study, "--out", Path.Combine(_root, "paper.svg"));
        Assert.True(plot.ExitCode == 0, plot.Error);
        Assert.Matches(@">\s*episodes\s*</text>", File.ReadAllText(Path.Combine(_root, "paper.svg"))); // the x axis counts episodes

        // Paper-sized figures: the size and the text size are options, and only known formats are written.
        string pdf = Path.Combine(_root, "paper.pdf");
        var sized = CliRunner.Run("plot", study, "--out", pdf, "--width", "480", "--height", "320", "--font-size", "9");
        Assert.True(sized.ExitCode == 0, sized.Error);
        Assert.Contains("/MediaBox [0 0 360 240]", System.Text.Encoding.Latin1.GetString(File.ReadAllBytes(pdf)));
        var jpeg = CliRunner.Run("plot", study, "--out", Path.Combine(_root, "paper.jpg"));
        Assert.Equal(2, jpeg.ExitCode);
        Assert.Contains("must end in .png, .pdf, .svg", jpeg.Error);
        var tiny = CliRunner.Run("plot", study, "--out", pdf, "--font-size", "1");
        Assert.Equal(2, tiny.ExitCode);
        Assert.Contains("--font-size must be between 4 and 200", tiny.Error);
    }

    [Fact]
    public void EvaluationsDuringTrainingAreAMetricOfTheComparison()
    {
        string file = Path.Combine(_root, "evaluated.json");
        File.WriteAllText(file, """
            { "agents": "ppo", "envs": "CartPole-v1", "normalizers": ["none", "rn"], "seeds": [1, 2], "steps": 1024,
              "set": ["num_steps=64"], "eval_every": 512, "eval_episodes": 2 }
            """);
        string study = Path.Combine(_root, "evaluated");
        var run = CliRunner.Run("compare", "--study", file, "--out", study, "--quiet");
        Assert.True(run.ExitCode == 0, run.Error);
        string[] evals = File.ReadAllLines(Path.Combine(study, "rn", "s2", "evals.csv"));
        Assert.Equal(3, evals.Length); // evaluations at 512 and 1024 steps

        // The report's evaluation score is each run's last evaluation.
        JsonNode rn = JsonNode.Parse(File.ReadAllText(Path.Combine(study, "summary.json")))!["normalizers"]!["rn"]!["evaluation"]!;
        double last = double.Parse(evals[^1].Split(',')[2], System.Globalization.CultureInfo.InvariantCulture);
        Assert.Equal(last, rn["final_scores"]!.AsArray()[1]!.GetValue<double>(), 6);
        Assert.NotNull(rn["probability_of_improvement_over_baseline"]);
        Assert.Contains("final evaluation IQM", File.ReadAllText(Path.Combine(study, "summary.md")));

        string runsCsv = Path.Combine(_root, "evaluated.csv");
        Assert.Equal(0, CliRunner.Run("export", study, "--format", "runs", "--out", runsCsv).ExitCode);
        Assert.Equal(4, File.ReadAllLines(runsCsv).Count(l => l.Contains(",final_eval_return,")));
        Assert.Contains("--eval-every 512 --eval-episodes 2", File.ReadAllLines(runsCsv)[1]);

        var plot = CliRunner.Run("plot", study, "--metric", "eval", "--out", Path.Combine(_root, "eval.png"));
        Assert.True(plot.ExitCode == 0, plot.Error);
    }

    [Fact]
    public void AStudyOfSeveralTasksIsAggregatedAcrossThem()
    {
        string file = Path.Combine(_root, "tasks.json");
        File.WriteAllText(file, """
            { "agents": "ppo", "envs": ["CartPole-v1", "CartPole-ActionFlip-v0"], "normalizers": ["none", "rn"], "seeds": [1, 2],
              "steps": 256, "set": ["num_steps=64"] }
            """);
        string study = Path.Combine(_root, "tasks");
        var run = CliRunner.Run("compare", "--study", file, "--out", study, "--quiet");
        Assert.True(run.ExitCode == 0, run.Error);
        Assert.Contains("## Across tasks", File.ReadAllText(Path.Combine(study, "summary.md")));
        JsonNode across = JsonNode.Parse(File.ReadAllText(Path.Combine(study, "summary.json")))!["across_tasks"]![0]!;
        Assert.Empty(across["axes"]!.AsObject()); // a study of tasks alone holds no other axis fixed
        Assert.Equal(["none", "rn"], across["normalizers"]!.AsObject().Select(n => n.Key));
        Assert.Equal(475, across["tasks"]![1]!["reference"]!.GetValue<double>());

        foreach (string metric in new[] { "aggregate", "profile" })
        {
            var plot = CliRunner.Run("plot", study, "--metric", metric);
            Assert.True(plot.ExitCode == 0, plot.Error);
            Assert.True(File.Exists(Path.Combine(study, "plots", metric + ".pdf")));
        }
        var oneTask = CliRunner.Run("plot", Path.Combine(study, "env=CartPole-v1"), "--metric", "aggregate");
        Assert.Equal(2, oneTask.ExitCode);
        Assert.Contains("differ only in their env", oneTask.Error);
    }

    public static TheoryData<string[], string> Mistakes => new()
    {
        { ["compare", "--agent", "ppo", "--env", "CartPole-v1", "--steps", "64", "--eval-episodes", "3"], "--eval-episodes needs --eval-every" },
        { ["compare", "--agent", "ppo", "--env", "CartPole-v1", "--episodes", "10", "--epsilon-carryover"], "ppo has no ε" },
        { ["compare", "--agent", "dqn", "--env", "CartPole-v1"], "--steps or --episodes is required" },
        { ["compare", "--study", "x.json", "--agent", "ppo"], "--agent cannot be combined" },
        { ["compare", "--study", "missing.json"], "does not exist" },
        { ["compare", "--agent", "ppo", "--steps", "64"], "--env is required" },
        { ["compare", "--env", "CartPole-v1", "--steps", "64"], "--agent is required" },
        { ["compare", "--agent", "ppo", "--env", "CartPole-v1", "--steps", "64", "--wait"], "--wait is for --executor slurm" },
        { ["compare", "--agent", "ppo", "--env", "CartPole-v1", "--steps", "64", "--partition", "gpu"], "--partition is for --executor slurm" },
        { ["compare", "--agent", "ppo", "--env", "CartPole-v1", "--steps", "64", "--executor", "condor"], "'condor' is not one of local, slurm" },
        { ["compare", "--status", "no-such-folder"], "does not exist" },
        { ["compare", "--status", ".", "--agent", "ppo"], "--agent cannot be combined" },
        { ["compare", "--index", "3"], "--index names the cell for --run-cell" },
        { ["compare", "--run-cell", "."], "--run-cell needs --index" },
        { ["compare", "--agent", "ppo", "--env", "CartPole-v1", "--steps", "64", "--interventions", "none,sn"], "unknown intervention 'sn'" },
        { ["compare", "--study", "x.json", "--interventions", "snp"], "--interventions cannot be combined" },
    };

    [Theory]
    [MemberData(nameof(Mistakes))]
    public void MistakesAreOneLineUsageErrors(string[] args, string expected)
    {
        var result = CliRunner.Run(args);
        Assert.Equal(2, result.ExitCode);
        Assert.Contains(expected, result.Error);
    }

    [Fact]
    public void AnIndexOutsideTheManifestNamesTheRange()
    {
        string study = Path.Combine(_root, "s");
        Assert.Equal(0, CliRunner.Run("compare", "--agent", "ppo", "--env", "CartPole-v1", "--norms", "none", "--seeds", "1", "--steps", "64", "--quiet", "--out", study).ExitCode);
        var result = CliRunner.Run("compare", "--run-cell", study, "--index", "5");
        Assert.Equal(2, result.ExitCode);
        Assert.Contains("it has cells 0..0", result.Error);
    }

    [Fact]
    public void InterventionsAreAnAxisOfGroupsEachReportedAndPlottedOnItsOwn()
    {
        string study = Path.Combine(_root, "interventions");
        var run = CliRunner.Run("compare", "--agent", "ppo", "--env", "CartPole-v1", "--norms", "none", "--seeds", "1", "--steps", "256",
            "--set", "num_steps=64", "--interventions", "none,snp,redo", "--quiet", "--jobs", "2", "--out", study);
        Assert.True(run.ExitCode == 0, run.Error);
        Assert.Equal(3, File.ReadAllLines(Path.Combine(study, "cells.jsonl")).Length);
        JsonArray groups = JsonNode.Parse(File.ReadAllText(Path.Combine(study, "summary.json")))!["groups"]!.AsArray();
        Assert.Equal(["none", "snp", "redo"], groups.Select(g => g!["axes"]!["intervention"]!.GetValue<string>()));
        Assert.All(groups, g => Assert.Equal(1, g!["normalizers"]!["none"]!["runs"]!.GetValue<int>()));
        Assert.Contains("## intervention=\"snp\"", File.ReadAllText(Path.Combine(study, "summary.md")));
        foreach (string name in new[] { "none", "snp", "redo" })
        {
            string group = Path.Combine(study, $"intervention={name}");
            string config = Directory.GetFiles(group, "config.json", SearchOption.AllDirectories).Single();
            Assert.Equal(name, JsonNode.Parse(File.ReadAllText(config))!["agent_config"]!["intervention"]!.GetValue<string>());
        }
        var plot = CliRunner.Run("plot", Path.Combine(study, "intervention=snp"), "--out", Path.Combine(_root, "snp.svg"));
        Assert.True(plot.ExitCode == 0, plot.Error);
    }

    [Fact]
    public void TrainTakesAnInterventionAsTheConfigKey()
    {
        string folder = Path.Combine(_root, "train-l2init");
        var run = CliRunner.Run("train", "--agent", "ppo", "--env", "CartPole-v1", "--steps", "256", "--set", "num_steps=64",
            "--intervention", "l2init", "--set", "intervention_options.l2_init_coefficient=0.01", "--quiet", "--out", folder);
        Assert.True(run.ExitCode == 0, run.Error);
        JsonNode config = JsonNode.Parse(File.ReadAllText(Path.Combine(folder, "config.json")))!["agent_config"]!;
        Assert.Equal("l2init", config["intervention"]!.GetValue<string>());
        Assert.Equal(0.01, config["intervention_options"]!["l2_init_coefficient"]!.GetValue<double>());
        var wrong = CliRunner.Run("train", "--agent", "ppo", "--env", "CartPole-v1", "--steps", "64", "--intervention", "snpp");
        Assert.Equal(2, wrong.ExitCode);
        Assert.Contains("snp", wrong.Error);
    }
}
