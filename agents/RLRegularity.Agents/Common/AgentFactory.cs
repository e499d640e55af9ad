using System.Text.Json.Nodes;
using RLRegularity.Agents.Dqn;
using RLRegularity.Agents.Ppo;
using RLRegularity.Envs.Core;

namespace RLRegularity.Agents.Common;

/// <summary>The agents by name and their presets, and how a learner is built from a resolved config.</summary>
public static class AgentFactory
{
    /// <summary>The agent names.</summary>
    public static IReadOnlyList<string> Agents { get; } = ["dqn", "ppo"];

    /// <summary>The presets of <paramref name="agent"/>, the first being the default.</summary>
    public static IReadOnlyList<string> Presets(string agent) => ValidateAgent(agent) switch
    {
        "dqn" => ["tuned", "paper"],
        _ => ["classic", "minigrid"],
    };

    /// <summary>The preset's config as JSON; unknown names are errors listing the valid ones.</summary>
    public static JsonObject Preset(string agent, string? preset)
    {
        string name = preset ?? Presets(agent)[0];
        return (ValidateAgent(agent), name) switch
        {
            ("dqn", "tuned") => ConfigBinding.ToJson(DqnConfig.Tuned),
            ("dqn", "paper") => ConfigBinding.ToJson(DqnConfig.Paper),
            ("ppo", "classic") => ConfigBinding.ToJson(PpoConfig.Classic),
            ("ppo", "minigrid") => ConfigBinding.ToJson(PpoConfig.MiniGrid),
            _ => throw new ArgumentException($"unknown preset '{name}' for {agent}. Valid presets: {string.Join(", ", Presets(agent))}"),
        };
    }

    /// <summary>Resolves preset + file + overrides into the agent's validated config JSON.</summary>
    public static JsonObject Resolve(string agent, string? preset, JsonObject? file, IEnumerable<string> overrides) =>
        Apply(agent, Preset(agent, preset), file, overrides);

    /// <summary>Applies file keys and overrides to a complete config of <paramref name="agent"/> (a preset's or a run's)
    /// and returns the validated result.</summary>
    public static JsonObject Apply(string agent, JsonObject basis, JsonObject? file, IEnumerable<string> overrides)
    {
        return ValidateAgent(agent) == "dqn"
            ? ConfigBinding.ToJson(ConfigBinding.Resolve(ConfigBinding.FromJson<DqnConfig>(basis), file, overrides))
            : ConfigBinding.ToJson(ConfigBinding.Resolve(ConfigBinding.FromJson<PpoConfig>(basis), file, overrides));
    }


    /// <summary>The normalizer named in a resolved config.</summary>
    public static string NormalizerOf(JsonObject config) => config["normalizer"]?.GetValue<string>() ?? "none";

    /// <summary>Builds the learner for <paramref name="envId"/> from a resolved config.</summary>
    public static ILearner Create(string agent, string envId, JsonObject config, long seed, long totalSteps)
    {
        EnvRegistry.Spec(envId);
        if (ValidateAgent(agent) == "dqn")
            return new DqnLearner(ConfigBinding.FromJson<DqnConfig>(config), EnvRegistry.Make(envId), seed, totalSteps, () => EnvRegistry.Make(envId));
        PpoConfig ppo = ConfigBinding.FromJson<PpoConfig>(config);
        return new PpoLearner(ppo, new SyncVectorEnv(_ => EnvRegistry.Make(envId), ppo.NumEnvs), seed, totalSteps, () => EnvRegistry.Make(envId));
    }

    private static string ValidateAgent(string agent) =>
        Agents.Contains(agent) ? agent : throw new ArgumentException($"unknown agent '{agent}'. Valid agents: {string.Join(", ", Agents)}");
}
