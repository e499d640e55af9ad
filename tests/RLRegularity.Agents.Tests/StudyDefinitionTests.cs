using System.Text.Json.Nodes;
using RLRegularity.Agents.Comparison;

namespace RLRegularity.Agents.Tests;

/// <summary>Study files: the Cartesian product in a fixed order, group folders, the flag form's layout, and clear errors.</summary>
public sealed class StudyDefinitionTests : IDisposable
{
    private readonly string _root = Directory.CreateTempSubdirectory("rlreg-study").FullName;

    public void Dispose() => Directory.Delete(_root, recursive: true);

    private string File(string json)
    {
        string path = Path.Combine(_root, $"study{Guid.NewGuid():N}.json");
        System.IO.File.WriteAllText(path, json);
        return path;
    }

    [Fact]
    public void AxesExpandInAFixedOrderIntoGroupFolders()
    {
        var study = StudyDefinition.ReadFile(File("""
            { "agents": ["ppo"], "envs": ["CartPole-v1", "Acrobot-v1"], "normalizers": ["none", "rn"], "seeds": [3, 7],
              "steps": 4096, "set": ["num_steps=64"], "learning_rate": [0.001, 0.0003], "gamma": 0.98 }
            """));
        Assert.False(study.IsSingleGroup);
        Assert.Equal(["num_steps=64", "gamma=0.98"], study.Overrides);
        IReadOnlyList<StudyGroup> groups = study.Groups();
        Assert.Equal(["env=CartPole-v1+learning_rate=0.001", "env=CartPole-v1+learning_rate=0.0003", "env=Acrobot-v1+learning_rate=0.001", "env=Acrobot-v1+learning_rate=0.0003"],
                     groups.Select(g => g.Folder));
        Assert.Equal(["num_steps=64", "gamma=0.98", "learning_rate=0.0003"], groups[1].Comparison.Overrides);

        IReadOnlyList<StudyCell> cells = study.Cells(Path.Combine(_root, "s"));
        Assert.Equal(16, cells.Count);
        Assert.Equal(Enumerable.Range(0, 16), cells.Select(c => c.Index));
        // Seed varies fastest, then the normalizer, then the config axes, then the env.
        Assert.Equal(Path.Combine(_root, "s", "env=CartPole-v1+learning_rate=0.001", "none", "s7"), cells[1].Folder);
        Assert.Equal(Path.Combine(_root, "s", "env=CartPole-v1+learning_rate=0.001", "rn", "s3"), cells[2].Folder);
        Assert.Equal("Acrobot-v1", cells[8].Axes["env"]!.GetValue<string>());
        Assert.Equal(0.0003, cells[5].Axes["learning_rate"]!.GetValue<double>());
        Assert.Equal(["train", "--agent", "ppo", "--env", "CartPole-v1", "--norm", "rn", "--seed", "7", "--steps", "4096", "--preset", "classic",
                      "--out", cells[7].Folder, "--set", "num_steps=64", "--set", "gamma=0.98", "--set", "learning_rate=0.0003", "--threads", "1"], cells[7].Train);
    }

    [Fact]
    public void AOneGroupStudyFileIsTheFlagFormsStudy()
    {
        var fromFile = StudyDefinition.ReadFile(File("""{ "agent": "ppo", "env": "CartPole-v1", "normalizers": ["none", "rn"], "seeds": 2, "steps": 2048 }"""));
        var fromFlags = StudyDefinition.FromComparison(new ComparisonStudy("ppo", "CartPole-v1", ["none", "rn"], [1, 2], 2048, "classic", []));
        Assert.True(fromFile.IsSingleGroup);
        Assert.True(JsonNode.DeepEquals(fromFlags.ToJson(), fromFile.ToJson()));
        Assert.Equal(Path.Combine(_root, "rn", "s2"), fromFile.Cells(_root)[3].Folder); // today's CellFolder layout
        Assert.Equal("ppo", fromFile.ToJson()["agent"]!.GetValue<string>());           // today's study.json
    }

    [Fact]
    public void AnEpisodeBudgetReachesEveryRunAndThePaperProtocolStartsLaterSeedsAtEpsilonEnd()
    {
        var study = StudyDefinition.ReadFile(File("""
            { "agents": "dqn", "presets": "paper", "envs": "CartPole-v1", "normalizers": ["none", "rn"], "seeds": [0, 1, 2],
              "episodes": 2000, "epsilon_carryover": true }
            """));
        Assert.Equal(2000, study.Episodes);
        Assert.Equal(2000L * 500, study.Steps); // CartPole-v1's time limit: every episode may run to it
        IReadOnlyList<StudyCell> cells = study.Cells(_root);
        Assert.All(cells, c => Assert.Equal("2000", c.Train[Array.IndexOf(c.Train, "--episodes") + 1]));
        // Per normalizer, only the first seed explores from ε-start (the notebook's ε lives across its loop of runs).
        Assert.Equal([false, true, true, false, true, true], cells.Select(c => c.Train.Contains("epsilon_start=0.01")));

        string folder = Path.Combine(_root, "paper");
        study.WriteOrCheck(folder);
        StudyDefinition back = StudyDefinition.Read(folder);
        Assert.Equal((2000L, true), (back.Episodes, back.EpsilonCarryover));
        Assert.Equal(cells.Select(c => string.Join(' ', c.Train)), back.Cells(_root).Select(c => string.Join(' ', c.Train)));

        // A study without an episode budget writes the study.json it always has.
        var steps = new ComparisonStudy("ppo", "CartPole-v1", ["none"], [1], 2048, "classic", []);
        JsonObject json = StudyDefinition.FromComparison(steps).ToJson();
        Assert.False(json.ContainsKey("episodes"));
        Assert.False(json.ContainsKey("epsilon_carryover"));

        // Several groups keep the budget in the study_format 2 document too.
        var twoEnvs = StudyDefinition.ReadFile(File("""{ "agents": "dqn", "envs": ["CartPole-v1", "Acrobot-v1"], "normalizers": "none", "seeds": 1, "episodes": 10 }"""));
        Assert.Equal(10L * 500, twoEnvs.Steps); // the larger of the two time limits (both 500)
        string multi = Path.Combine(_root, "multi");
        twoEnvs.WriteOrCheck(multi);
        Assert.Equal(10, StudyDefinition.Read(multi).Episodes);
    }

    [Fact]
    public void AChangedStudyFileRefusesTheFolderNamingWhatChanged()
    {
        string folder = Path.Combine(_root, "study");
        StudyDefinition.ReadFile(File("""{ "agents": ["ppo"], "envs": ["CartPole-v1"], "normalizers": ["none"], "seeds": 1, "steps": 64, "learning_rate": [0.001, 0.0003] }""")).WriteOrCheck(folder);
        StudyDefinition.Read(folder).WriteOrCheck(folder); // read back, the same study
        var e = Assert.Throws<ArgumentException>(() => StudyDefinition.ReadFile(
            File("""{ "agents": ["ppo"], "envs": ["CartPole-v1"], "normalizers": ["none"], "seeds": 1, "steps": 64, "learning_rate": [0.001, 0.0001] }""")).WriteOrCheck(folder));
        Assert.Contains("different study", e.Message);
        Assert.Contains("config_axes.learning_rate", e.Message);
        Assert.True(System.IO.File.Exists(Path.Combine(folder, "learning_rate=0.001", "study.json"))); // each group is a comparison of its own
    }

    [Theory]
    [InlineData("""{ "envs": ["CartPole-v1"], "steps": 64 }""", "needs 'agents'")]
    [InlineData("""{ "agents": ["sac"], "envs": ["CartPole-v1"], "steps": 64 }""", "unknown agent 'sac'")]
    [InlineData("""{ "agents": ["ppo"], "envs": ["CartPole-v9"], "steps": 64 }""", "unknown environment 'CartPole-v9'")]
    [InlineData("""{ "agents": ["ppo"], "envs": ["CartPole-v1"], "steps": 64, "seeds": 0 }""", "key 'seeds'")]
    [InlineData("""{ "agents": ["ppo"], "envs": ["CartPole-v1"], "steps": "many" }""", "key 'steps'")]
    [InlineData("""{ "agents": ["ppo"], "envs": ["CartPole-v1"], "steps": 64, "learning_rat": [0.1, 0.2] }""", "learning_rat")]
    [InlineData("""{ "agents": ["ppo"], "envs": ["CartPole-v1"], "steps": 64, "normalizer": ["rn"] }""", "'normalizers' axis")]
    [InlineData("""{ "agents": ["ppo"], "envs": ["CartPole-v1"], "steps": 64, "learning_rate": [] }""", "empty")]
    [InlineData("""{ "agents": ["ppo"], "envs": ["CartPole-v1"], "episodes": 0 }""", "key 'episodes'")]
    [InlineData("""{ "agents": ["ppo"], "envs": ["CartPole-v1"], "episodes": 10, "epsilon_carryover": true }""", "ppo has no ε")]
    [InlineData("""{ "agents": ["dqn"], "envs": ["CartPole-v1"], "episodes": 10, "epsilon_carryover": "yes" }""", "key 'epsilon_carryover'")]
    [InlineData("""{ "agents": ["ppo"], "envs": ["CartPole-v1"], "steps": 64, "eval_episodes": 3 }""", "need 'eval_every'")]
    [InlineData("""{ "agents": ["ppo"], "envs": ["CartPole-v1"], "steps": 64, "eval_every": -5 }""", "key 'eval_every'")]
    [InlineData("""[1, 2]""", "does not hold a JSON object")]
    [InlineData("""{ "agents": ["ppo"] """, "not valid JSON")]
    public void BadStudyFilesAreOneLineErrorsNamingTheKey(string json, string expected)
    {
        var e = Assert.Throws<ArgumentException>(() => StudyDefinition.ReadFile(File(json)));
        Assert.Contains(expected, e.Message);
        Assert.StartsWith("--study: '", e.Message);
        Assert.DoesNotContain('\n', e.Message.Trim());
    }

    [Fact]
    public void EveryPublishedStudyFileIsAValidStudy()
    {
        // docs/results/<study>/study.json regenerates what the docs publish: each must still read as a study.
        string[] files = Directory.GetFiles(Path.Combine(RLRegularity.TestSupport.ReferenceData.RepositoryRoot, "docs", "results"), "study.json", SearchOption.AllDirectories);
        Assert.NotEmpty(files);
        foreach (string file in files)
        {
            StudyDefinition study = StudyDefinition.ReadFile(file);
            Assert.NotEmpty(study.Cells(Path.Combine(_root, Path.GetFileName(Path.GetDirectoryName(file))!)));
        }
    }

    [Fact]
    public void StudiesPublishedBeforeTheFastArithmeticKeepTheReference()
    {
        // Their numbers came from RN's float64 reference arithmetic: the study file and every runs.csv command must still
        // ask for it, or they would regenerate with the default fast arithmetic and give other runs.
        string results = Path.Combine(RLRegularity.TestSupport.ReferenceData.RepositoryRoot, "docs", "results");
        const string Pin = "normalizer_options.arithmetic=reference";
        foreach (string folder in Directory.GetDirectories(results).Where(d => System.IO.File.Exists(Path.Combine(d, "study.json"))))
        {
            if (Path.GetFileName(folder) == "arithmetic") continue; // the comparison of the two arithmetics, made with both
            Assert.Contains(Pin, StudyDefinition.ReadFile(Path.Combine(folder, "study.json")).Overrides);
            foreach (string runs in Directory.GetFiles(folder, "runs*.csv"))
            {
                foreach (string line in System.IO.File.ReadLines(runs).Skip(1))
                    Assert.True(line.Contains("--set " + Pin), $"{runs}: a command without --set {Pin}: {line}");
            }
        }
    }

    [Fact]
    public void ArraysStayBelowMaxArraySizeAndKeepTheirThrottle()
    {
        var plan = SlurmArray.Plan([0, 1, 2, 5, 7, 8, 1000, 1001, 2500], 1001, 4);
        Assert.Equal([0, 1001, 2002], plan.Select(p => p.Offset));
        Assert.Equal("0-2,5,7-8,1000%4", plan[0].Spec);
        Assert.Equal("0%4", plan[1].Spec);
        Assert.Equal("498%4", plan[2].Spec);
        Assert.Equal([1001], plan[1].Cells);
        Assert.Equal("0-9%2", Assert.Single(SlurmArray.Plan(Enumerable.Range(0, 10), 1001, 2)).Spec);
    }
}

/// <summary>rliable's aggregates across the tasks of a study: normalization per task and which studies have tasks.</summary>
public sealed class CrossTaskReportTests
{
    private static (StudyGroup, ComparisonReport) Task(string env, Dictionary<string, double[]> scores, string axis = "env", string? value = null)
    {
        var study = new ComparisonStudy("ppo", env, [.. scores.Keys], [1, 2, 3], 1000, "classic", []);
        var nan = new RLRegularity.Statistics.ConfidenceInterval(double.NaN, double.NaN, double.NaN, 0.95);
        var summaries = scores.Select(s => new NormalizerSummary(s.Key, s.Value.Length, s.Value, nan, nan, nan, null, 0, null, null, null)).ToList();
        return (new StudyGroup([new(axis, value ?? env)], $"{axis}={value ?? env}", study), new ComparisonReport(study, summaries, [], null));
    }

    [Fact]
    public void ScoresAreNormalizedPerTaskBetweenARandomPolicyAndTheThreshold()
    {
        double random = CrossTaskReport.RandomPolicyReturn("CartPole-v1");
        Assert.Equal(random, CrossTaskReport.RandomPolicyReturn("CartPole-v1")); // seeded: the same every time
        Assert.InRange(random, 15, 30);                                           // a random CartPole policy lasts about 22 steps
        double acrobot = CrossTaskReport.RandomPolicyReturn("Acrobot-v1");
        var report = CrossTaskReport.Build(
        [
            Task("CartPole-v1", new() { ["none"] = [random, 475, 475], ["rn"] = [475, 475, 475] }),
            Task("Acrobot-v1", new() { ["none"] = [acrobot, acrobot, -100], ["rn"] = [-100, -100, -100] }),
        ])!;
        Assert.Equal([475.0, -100.0], report.Tasks.Select(t => t.Reference)); // the envs' reward thresholds
        CrossTaskSummary none = report.Normalizers[0], rn = report.Normalizers[1];
        Assert.Equal([[0, 1, 1], [0, 0, 1]], none.Scores.Select(t => t.Select(s => Math.Round(s, 12)).ToArray()));
        Assert.All(rn.Scores.SelectMany(t => t), s => Assert.Equal(1, s, 12));
        // Task means 2/3 and 1/3: mean 0.5; shortfalls 1, 0, 0, 1, 1, 0: optimality gap 0.5; rn reaches 1 everywhere.
        Assert.Equal(0.5, none.Aggregates.Single(a => a.Name == "Mean").Interval.Estimate, 12);
        Assert.Equal(0.5, none.Aggregates.Single(a => a.Name == "Optimality gap").Interval.Estimate, 12);
        Assert.Equal(0, rn.Aggregates.Single(a => a.Name == "Optimality gap").Interval.Estimate, 12);
        Assert.Equal(1, rn.Profile[CrossTaskReport.ProfileTaus.Length - 1 - 6].Estimate); // every rn run is above τ = 0.95
        Assert.Contains("## Across tasks", report.ToMarkdown());
    }

    [Fact]
    public void AStudyOverTasksAndAnotherAxisIsAggregatedPerSettingOfThatAxis()
    {
        var scores = new Dictionary<string, double[]> { ["none"] = [100, 200, 300], ["rn"] = [300, 400, 475] };
        (StudyGroup, ComparisonReport) Cell(string env, string intervention)
        {
            (StudyGroup group, ComparisonReport report) = Task(env, scores);
            return (new StudyGroup([new("env", env), new("intervention", intervention)], $"env={env}+intervention={intervention}", group.Comparison), report);
        }
        var parts = CrossTaskReport.BuildPerSetting(
        [
            Cell("CartPole-v1", "\"none\""), Cell("CartPole-v1", "\"snp\""),
            Cell("CartPole-ActionFlip-v0", "\"none\""), Cell("CartPole-ActionFlip-v0", "\"snp\""),
        ]);
        Assert.Equal(["intervention=\"none\"", "intervention=\"snp\""], parts.Select(p => string.Join(",", p.Fixed.Select(a => $"{a.Key}={a.Value}"))));
        Assert.All(parts, p => Assert.Equal(2, p.Report.Tasks.Count));
        Assert.Contains("## Across tasks (intervention=\"snp\")", parts[1].Report.ToMarkdown(parts[1].Fixed));
    }

    [Fact]
    public void OnlyGroupsThatDifferInTheirEnvAreTasks()
    {
        var scores = new Dictionary<string, double[]> { ["none"] = [100, 200, 300] };
        Assert.Null(CrossTaskReport.Build([Task("CartPole-v1", scores)]));
        Assert.Null(CrossTaskReport.Build([Task("CartPole-v1", scores, "learning_rate", "0.001"), Task("CartPole-v1", scores, "learning_rate", "0.0003")]));
        Assert.NotNull(CrossTaskReport.Build([Task("CartPole-v1", scores), Task("CartPole-ActionFlip-v0", scores)]));
    }
}
