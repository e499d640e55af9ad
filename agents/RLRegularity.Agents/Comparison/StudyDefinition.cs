using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using RLRegularity.Agents.Common;
using RLRegularity.Envs.Core;

namespace RLRegularity.Agents.Comparison;

/// <summary>
/// A study: axes over agents, environments, presets, any agent config key, normalizers and seeds, with one step budget
/// and fixed overrides. Its cells are the Cartesian product of the axes in a fixed order (agent, env, preset, config
/// axes in file order, normalizer, seed). A study with one agent, one environment, one preset and no config axis is
/// exactly a <see cref="ComparisonStudy"/> (the flag form of <c>rlreg compare</c>) and keeps that study.json and folder
/// layout; a larger study puts each combination of its multi-valued axes in a group folder
/// (<c>env=Acrobot-v1+learning_rate=0.001/none/s1</c>).
/// </summary>
/// <param name="Agents">dqn and/or ppo.</param>
/// <param name="Envs">Environment ids.</param>
/// <param name="Presets">Presets; each must exist for every agent. Empty: each agent's default preset.</param>
/// <param name="ConfigAxes">Agent config keys swept, each with its values (JSON literals), in file order.</param>
/// <param name="Norms">The normalizers compared within each group (the baseline is "none" if present, else the first).</param>
/// <param name="Seeds">The seeds of every (group, normalizer).</param>
/// <param name="Steps">Environment steps per run.</param>
/// <param name="Overrides">key=value overrides applied to every run.</param>
/// <param name="Episodes">An episode budget per run (then <paramref name="Steps"/> is its cap); null: the steps decide.</param>
/// <param name="EpsilonCarryover">DQN only: the paper's protocol, where ε is not reset between a normalizer's runs (see
/// <see cref="ComparisonStudy.EpsilonCarryover"/>).</param>
/// <param name="EvalEvery">Steps between greedy evaluations of every run; null: none.</param>
/// <param name="EvalEpisodes">Episodes per evaluation; null: train's default.</param>
public sealed record StudyDefinition(string[] Agents, string[] Envs, string[] Presets, IReadOnlyList<ConfigAxis> ConfigAxes,
    string[] Norms, long[] Seeds, long Steps, string[] Overrides, long? Episodes = null, bool EpsilonCarryover = false,
    long? EvalEvery = null, int? EvalEpisodes = null)
{
    /// <summary>The file inside a study folder that defines the study.</summary>
    public const string StudyFile = "study.json";

    private const string Version2 = "study_format";

    // Keys of a study file that are not agent config keys.
    private static readonly string[] ReservedKeys = ["agent", "agents", "env", "envs", "preset", "presets", "norm", "norms", "normalizers", "seeds", "steps", "episodes", "epsilon_carryover", "eval_every", "eval_episodes", "set"];

    /// <summary>The one-axis study of the flag form.</summary>
    public static StudyDefinition FromComparison(ComparisonStudy study) =>
        new([study.Agent], [study.Env], [study.Preset], [], study.Norms, study.Seeds, study.Steps, study.Overrides, study.Episodes, study.EpsilonCarryover,
            study.EvalEvery, study.EvalEpisodes);

    /// <summary>
    /// The step budget of a study: the given steps, or with an episode budget and no steps, the cap that lets every
    /// episode run to its time limit on every environment of the study (as <c>rlreg train --episodes</c> does).
    /// </summary>
    public static long StepBudget(long? steps, long? episodes, IEnumerable<string> envs, string option)
    {
        if (steps is long s) return s;
        if (episodes is not long n) throw new ArgumentException($"{option}: give a budget, steps or episodes");
        long cap = 0;
        foreach (string env in envs)
        {
            cap = Math.Max(cap, RunSettings.StepCapForEpisodes(env, n)
                ?? throw new ArgumentException($"{option}: {env} has no time limit, so an episode budget needs a step cap too (give steps)"));
        }
        return cap;
    }

    /// <summary>True when the study is one (agent, env, preset) with no config axis: the flag form's layout.</summary>
    public bool IsSingleGroup => Agents.Length == 1 && Envs.Length == 1 && PresetsOf(Agents[0]).Length == 1 && ConfigAxes.Count == 0;

    /// <summary>The presets a given agent runs with.</summary>
    public string[] PresetsOf(string agent) => Presets.Length > 0 ? Presets : [AgentFactory.Presets(agent)[0]];

    /// <summary>
    /// Reads a study file: <c>agents</c>/<c>envs</c>/<c>presets</c>/<c>normalizers</c> (a name or a list), <c>seeds</c>
    /// (a count n for 1..n, or a list), <c>steps</c>, <c>set</c> (key=value strings) and any agent config key (a list of
    /// values is an axis, a single value a fixed override). Every problem is an <see cref="ArgumentException"/> naming the
    /// file and the key.
    /// </summary>
    public static StudyDefinition ReadFile(string path)
    {
        if (!File.Exists(path)) throw new ArgumentException($"--study: the study file '{path}' does not exist");
        JsonObject root;
        try
        {
            root = JsonNode.Parse(File.ReadAllText(path)) as JsonObject ?? throw new ArgumentException($"--study: '{path}' does not hold a JSON object");
        }
        catch (JsonException e)
        {
            throw new ArgumentException($"--study: '{path}' is not valid JSON: {e.Message}");
        }
        string Where(string key) => $"--study: '{path}', key '{key}'";
        string[] Names(params string[] keys)
        {
            string[] given = [.. keys.Where(k => root.ContainsKey(k))];
            if (given.Length > 1) throw new ArgumentException($"--study: '{path}' gives both '{given[0]}' and '{given[1]}'; keep one");
            if (given.Length == 0) return [];
            string key = given[0];
            JsonNode? node = root[key];
            string[] names = node switch
            {
                JsonValue v when v.TryGetValue(out string? s) => [s],
                JsonArray a when a.All(x => x is JsonValue xv && xv.TryGetValue(out string? _)) => [.. a.Select(x => x!.GetValue<string>())],
                _ => throw new ArgumentException($"{Where(key)}: expected a name or a list of names, got {node?.ToJsonString() ?? "null"}"),
            };
            if (names.Length == 0) throw new ArgumentException($"{Where(key)}: the list is empty");
            if (names.Distinct().Count() != names.Length) throw new ArgumentException($"{Where(key)}: a name is listed twice");
            return names;
        }
        string[] agents = Names("agent", "agents");
        if (agents.Length == 0) throw new ArgumentException($"--study: '{path}' needs 'agents' (e.g. \"agents\": [\"ppo\"])");
        foreach (string a in agents)
        {
            if (!AgentFactory.Agents.Contains(a)) throw new ArgumentException($"{Where("agents")}: unknown agent '{a}'; valid: {string.Join(", ", AgentFactory.Agents)}");
        }
        string[] envs = Names("env", "envs");
        if (envs.Length == 0) throw new ArgumentException($"--study: '{path}' needs 'envs' (e.g. \"envs\": [\"CartPole-v1\"])");
        foreach (string e in envs)
        {
            if (!EnvRegistry.Contains(e)) throw new ArgumentException($"{Where("envs")}: unknown environment '{e}'; 'rlreg env list' lists them");
        }
        string[] presets = Names("preset", "presets");
        foreach (string a in agents)
        {
            foreach (string p in presets)
            {
                if (!AgentFactory.Presets(a).Contains(p))
                    throw new ArgumentException($"{Where("presets")}: '{p}' is not a preset of {a}; valid: {string.Join(", ", AgentFactory.Presets(a))}");
            }
        }
        string[] norms = Names("norm", "norms", "normalizers");
        if (norms.Length == 0) norms = [.. Normalization.Normalizers.DefaultComparison];
        foreach (string n in norms)
        {
            try
            {
                Normalization.Normalizers.Parse(n);
            }
            catch (ArgumentException e)
            {
                throw new ArgumentException($"{Where("normalizers")}: {e.Message}");
            }
        }
        long[] seeds = root["seeds"] switch
        {
            null => [1, 2, 3, 4, 5],
            JsonValue v when v.TryGetValue(out long n) && n >= 1 => [.. Enumerable.Range(1, checked((int)n)).Select(i => (long)i)],
            JsonArray a when a.Count > 0 && a.All(x => x is JsonValue xv && xv.TryGetValue(out long s) && s >= 0) => [.. a.Select(x => x!.GetValue<long>())],
            var other => throw new ArgumentException($"{Where("seeds")}: expected a count n >= 1 (seeds 1..n) or a non-empty list of non-negative seeds, got {other.ToJsonString()}"),
        };
        if (seeds.Distinct().Count() != seeds.Length) throw new ArgumentException($"{Where("seeds")}: a seed is listed twice");
        long? episodes = root["episodes"] switch
        {
            null => null,
            JsonValue ev when ev.TryGetValue(out long e) && e >= 1 => e,
            var other => throw new ArgumentException($"{Where("episodes")}: expected a positive whole number of episodes per run, got {other.ToJsonString()}"),
        };
        long? givenSteps = root["steps"] switch
        {
            null when episodes is not null => null,
            JsonValue sv when sv.TryGetValue(out long st) && st >= 1 => st,
            var other => throw new ArgumentException($"{Where("steps")}: expected a positive whole number of environment steps (or give 'episodes'), got {other?.ToJsonString() ?? "nothing"}"),
        };
        long steps = StepBudget(givenSteps, episodes, envs, $"--study: '{path}'");
        bool carryover = root["epsilon_carryover"] switch
        {
            null => false,
            JsonValue cv when cv.TryGetValue(out bool c) => c,
            var other => throw new ArgumentException($"{Where("epsilon_carryover")}: expected true or false, got {other.ToJsonString()}"),
        };
        long? Positive(string key) => root[key] switch
        {
            null => null,
            JsonValue v when v.TryGetValue(out long n) && n >= 1 && n <= int.MaxValue => n,
            var other => throw new ArgumentException($"{Where(key)}: expected a positive whole number, got {other.ToJsonString()}"),
        };
        long? evalEvery = Positive("eval_every");
        int? evalEpisodes = (int?)Positive("eval_episodes");
        if (evalEpisodes is not null && evalEvery is null)
            throw new ArgumentException($"{Where("eval_episodes")}: evaluations need 'eval_every' (steps between them)");
        if (carryover && agents.FirstOrDefault(a => a != "dqn") is { } notDqn)
            throw new ArgumentException($"{Where("epsilon_carryover")}: ε carry-over is the paper's DQN protocol; {notDqn} has no ε");
        string[] overrides = root["set"] switch
        {
            null => [],
            JsonArray a when a.All(x => x is JsonValue xv && xv.TryGetValue(out string? s) && s.Contains('=')) => [.. a.Select(x => x!.GetValue<string>())],
            var other => throw new ArgumentException($"{Where("set")}: expected a list of \"key=value\" strings, got {other.ToJsonString()}"),
        };
        var axes = new List<ConfigAxis>();
        var fixedKeys = new List<string>();
        foreach ((string key, JsonNode? value) in root)
        {
            if (ReservedKeys.Contains(key)) continue;
            if (key == "normalizer") throw new ArgumentException($"{Where(key)}: the normalizers of a study are its 'normalizers' axis; write \"normalizers\": [...] instead");
            if (value is JsonArray list)
            {
                if (list.Count == 0) throw new ArgumentException($"{Where(key)}: the list of values is empty");
                if (list.Any(x => x is not JsonValue)) throw new ArgumentException($"{Where(key)}: an axis lists plain values (numbers, strings, booleans)");
                string[] texts = [.. list.Select(x => x!.ToJsonString())];
                if (texts.Distinct().Count() != texts.Length) throw new ArgumentException($"{Where(key)}: a value is listed twice");
                axes.Add(new ConfigAxis(key, texts));
            }
            else if (value is JsonValue)
            {
                fixedKeys.Add($"{key}={value.ToJsonString()}");
            }
            else
            {
                throw new ArgumentException($"{Where(key)}: expected a value or a list of values (an axis), got {value?.ToJsonString() ?? "null"}");
            }
        }
        var study = new StudyDefinition(agents, envs, presets, axes, norms, seeds, steps, [.. overrides, .. fixedKeys], episodes, carryover,
            evalEvery, evalEpisodes);
        // Every cell's config must resolve before anything runs: an unknown key is named with the valid ones.
        foreach (StudyGroup group in study.Groups())
        {
            try
            {
                AgentFactory.Resolve(group.Comparison.Agent, group.Comparison.Preset, null, group.Comparison.Overrides);
            }
            catch (Exception e) when (e is ArgumentException or FormatException or JsonException or InvalidOperationException)
            {
                throw new ArgumentException($"--study: '{path}': {group.Comparison.Agent} with {string.Join(" ", group.Comparison.Overrides)}: {e.Message}");
            }
        }
        return study;
    }

    /// <summary>
    /// The groups of the study: one per combination of agent, env, preset and config-axis values, each a one-axis
    /// comparison (normalizers × seeds) in its own folder (the study folder itself for a single-group study).
    /// </summary>
    public IReadOnlyList<StudyGroup> Groups()
    {
        var groups = new List<StudyGroup>();
        foreach (string agent in Agents)
        {
            foreach (string env in Envs)
            {
                foreach (string preset in PresetsOf(agent))
                {
                    foreach (KeyValuePair<string, string>[] combination in Combinations(0))
                    {
                        var axes = new List<KeyValuePair<string, string>>();
                        if (Agents.Length > 1) axes.Add(new("agent", agent));
                        if (Envs.Length > 1) axes.Add(new("env", env));
                        if (Presets.Length > 1) axes.Add(new("preset", preset));
                        axes.AddRange(combination);
                        string[] overrides = [.. Overrides, .. combination.Select(c => $"{c.Key}={c.Value}")];
                        string folder = axes.Count == 0 ? "" : string.Join('+', axes.Select(a => $"{a.Key}={Safe(a.Value)}"));
                        groups.Add(new StudyGroup(axes, folder, new ComparisonStudy(agent, env, Norms, Seeds, Steps, preset, overrides, Episodes, EpsilonCarryover, EvalEvery, EvalEpisodes)));
                    }
                }
            }
        }
        return groups;
    }

    private IEnumerable<KeyValuePair<string, string>[]> Combinations(int axis)
    {
        if (axis == ConfigAxes.Count)
        {
            yield return [];
            yield break;
        }
        foreach (string value in ConfigAxes[axis].Values)
        {
            foreach (KeyValuePair<string, string>[] rest in Combinations(axis + 1)) yield return [new(ConfigAxes[axis].Key, value), .. rest];
        }
    }

    // A value as a folder name: JSON strings lose their quotes, and nothing can climb out of the folder.
    private static string Safe(string value)
    {
        string text = value.Length >= 2 && value[0] == '"' ? value[1..^1] : value;
        return string.Concat(text.Select(c => char.IsLetterOrDigit(c) || c is '.' or '-' or '_' ? c : '_'));
    }

    /// <summary>The study's cells in manifest order, with their folders under <paramref name="studyFolder"/> (made absolute).</summary>
    public IReadOnlyList<StudyCell> Cells(string studyFolder)
    {
        string root = Path.GetFullPath(studyFolder);
        var cells = new List<StudyCell>();
        foreach (StudyGroup group in Groups())
        {
            ComparisonStudy c = group.Comparison;
            foreach (string norm in Norms)
            {
                foreach (long seed in Seeds)
                {
                    string folder = ComparisonStudy.CellFolder(Path.Combine(root, group.Folder), norm, seed);
                    var axes = new JsonObject { ["agent"] = c.Agent, ["env"] = c.Env, ["preset"] = c.Preset };
                    foreach (ConfigAxis axis in ConfigAxes) axes[axis.Key] = JsonNode.Parse(group.Axes.First(a => a.Key == axis.Key).Value);
                    axes["norm"] = norm;
                    axes["seed"] = seed;
                    string[] budget = Episodes is long episodes ? ["--episodes", episodes.ToString(CultureInfo.InvariantCulture)] : [];
                    string[] evaluation = [.. EvalEvery is long every ? new[] { "--eval-every", every.ToString(CultureInfo.InvariantCulture) } : [],
                                           .. EvalEpisodes is int count ? new[] { "--eval-episodes", count.ToString(CultureInfo.InvariantCulture) } : []];
                    string[] overrides = seed != Seeds[0] && EpsilonCarryover ? [.. c.Overrides, CarriedEpsilon(c)] : c.Overrides;
                    string[] train = ["train", "--agent", c.Agent, "--env", c.Env, "--norm", norm, "--seed", seed.ToString(CultureInfo.InvariantCulture),
                                      "--steps", Steps.ToString(CultureInfo.InvariantCulture), .. budget, .. evaluation, "--preset", c.Preset, "--out", folder,
                                      .. overrides.SelectMany(o => new[] { "--set", o }), "--threads", "1"];
                    cells.Add(new StudyCell(cells.Count, axes, folder, train));
                }
            }
        }
        return cells;
    }

    // The paper's protocol: a later run starts where the previous one left ε, which after a full run is ε-end
    // (0.95^2000 is far below 0.01), so it is the run's starting ε, stated in its own command line.
    private static string CarriedEpsilon(ComparisonStudy c)
    {
        JsonObject config = AgentFactory.Resolve(c.Agent, c.Preset, null, c.Overrides);
        double end = config["epsilon_end"]?.GetValue<double>() ?? throw new InvalidOperationException($"{c.Agent} has no epsilon_end");
        return $"epsilon_start={end.ToString("R", CultureInfo.InvariantCulture)}";
    }

    /// <summary>
    /// study.json: a single-group study writes the <see cref="ComparisonStudy"/> record (as the flag form always has, so
    /// older study folders resume); a larger one writes every axis under <c>"study_format": 2</c>.
    /// </summary>
    public JsonObject ToJson()
    {
        if (IsSingleGroup) return JsonSerializer.SerializeToNode(Groups()[0].Comparison, ConfigBinding.JsonOptions)!.AsObject();
        var axes = new JsonObject();
        foreach (ConfigAxis axis in ConfigAxes) axes[axis.Key] = new JsonArray([.. axis.Values.Select(v => JsonNode.Parse(v))]);
        var document = new JsonObject
        {
            [Version2] = 2,
            ["agents"] = new JsonArray([.. Agents.Select(a => JsonValue.Create(a))]),
            ["envs"] = new JsonArray([.. Envs.Select(e => JsonValue.Create(e))]),
            ["presets"] = new JsonArray([.. Presets.Select(p => JsonValue.Create(p))]),
            ["config_axes"] = axes,
            ["norms"] = new JsonArray([.. Norms.Select(n => JsonValue.Create(n))]),
            ["seeds"] = new JsonArray([.. Seeds.Select(s => JsonValue.Create(s))]),
            ["steps"] = Steps,
            ["overrides"] = new JsonArray([.. Overrides.Select(o => JsonValue.Create(o))]),
        };
        if (Episodes is long episodes) document["episodes"] = episodes;
        if (EpsilonCarryover) document["epsilon_carryover"] = true;
        if (EvalEvery is long every) document["eval_every"] = every;
        if (EvalEpisodes is int count) document["eval_episodes"] = count;
        return document;
    }

    /// <summary>Reads a study folder's study.json, in either form.</summary>
    public static StudyDefinition Read(string folder)
    {
        string path = Path.Combine(folder, StudyFile);
        if (!File.Exists(path)) throw new FileNotFoundException($"'{folder}' is not a comparison folder: it has no {StudyFile}", path);
        try
        {
            JsonObject root = JsonNode.Parse(File.ReadAllText(path))?.AsObject() ?? throw new InvalidDataException($"{path} is empty");
            if (root[Version2] is null)
                return FromComparison(root.Deserialize<ComparisonStudy>(ConfigBinding.JsonOptions) ?? throw new InvalidDataException($"{path} is empty"));
            string[] Strings(string key) => [.. root[key]!.AsArray().Select(x => x!.GetValue<string>())];
            var axes = root["config_axes"]!.AsObject().Select(p => new ConfigAxis(p.Key, [.. p.Value!.AsArray().Select(v => v!.ToJsonString())])).ToList();
            return new StudyDefinition(Strings("agents"), Strings("envs"), Strings("presets"), axes, Strings("norms"),
                [.. root["seeds"]!.AsArray().Select(x => x!.GetValue<long>())], root["steps"]!.GetValue<long>(), Strings("overrides"),
                root["episodes"]?.GetValue<long>(), root["epsilon_carryover"]?.GetValue<bool>() ?? false,
                root["eval_every"]?.GetValue<long>(), root["eval_episodes"]?.GetValue<int>());
        }
        catch (Exception e) when (e is JsonException or InvalidOperationException or NullReferenceException or FormatException)
        {
            throw new InvalidDataException($"{path} is malformed: {e.Message}", e);
        }
    }

    /// <summary>
    /// Writes study.json into a new or empty folder, or checks that an existing study folder holds this same study
    /// (naming the keys that differ), as the flag form always has; a larger study also writes each group folder's own
    /// comparison study.json.
    /// </summary>
    public void WriteOrCheck(string folder)
    {
        ComparisonStudy.WriteOrCheck(folder, ToJson());
        if (IsSingleGroup) return;
        // Each group folder is a comparison of its own, which rlreg plot can draw.
        foreach (StudyGroup group in Groups()) group.Comparison.WriteOrCheck(Path.Combine(folder, group.Folder));
    }
}
