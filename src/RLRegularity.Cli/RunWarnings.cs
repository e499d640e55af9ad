using RLRegularity.Envs.Core;
using RLRegularity.Envs.MiniGrid;

namespace RLRegularity.Cli;

/// <summary>
/// Setups whose results would mislead without failing: a non-stationary task cut off before its change, a preset tuned for
/// another kind of environment, too few seeds for intervals. Printed to stderr as <c>warning: ...</c> before the work
/// starts; they never change the exit code.
/// </summary>
internal static class RunWarnings
{
    /// <summary>Warnings for training <paramref name="agent"/> with <paramref name="preset"/> on <paramref name="env"/> for <paramref name="steps"/> steps.</summary>
    public static IEnumerable<string> ForRun(string agent, string env, string preset, long steps)
    {
        EnvSpec spec = EnvRegistry.Spec(env);
        if (spec.Change is { } change && change.Schedule.FirstChange is long first && steps <= first)
        {
            yield return $"{env} is non-stationary ({change.What} at step {first:N0}), but the run has {steps:N0} steps and ends before the change; " +
                         $"it measures a stationary task. Give --steps above {first:N0} (e.g. {2 * first:N0}).";
        }
        bool miniGrid;
        using (IEnv instance = EnvRegistry.Make(env)) miniGrid = instance.Find<IMiniGridEnv>() is not null;
        bool miniGridPreset = agent == "ppo" && preset == "minigrid";
        if (miniGrid && !miniGridPreset)
        {
            yield return $"{env} is a MiniGrid environment, but {agent}'s '{preset}' preset was tuned for classic control (vector observations, dense rewards); " +
                         "MiniGrid runs use --agent ppo --preset minigrid.";
        }
        else if (!miniGrid && miniGridPreset)
        {
            yield return $"{env} is not a MiniGrid environment, but the 'minigrid' preset was tuned for MiniGrid; classic control runs use --preset classic.";
        }
    }

    /// <summary>The warning for a comparison of <paramref name="seeds"/> seeds per normalizer, or null when there are enough.</summary>
    public static string? ForSeeds(int seeds) => seeds >= Agents.Comparison.ComparisonReport.MinSeedsForIntervals ? null
        : $"{Agents.Comparison.ComparisonReport.FewSeedsNote(seeds)} Use --seeds {Agents.Comparison.ComparisonReport.MinSeedsForIntervals} or more before drawing conclusions.";
}
