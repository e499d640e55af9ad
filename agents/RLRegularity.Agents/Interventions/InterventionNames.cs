namespace RLRegularity.Agents.Interventions;

/// <summary>The names of the interventions as the config key <c>intervention</c>, <c>rlreg train --intervention</c> and
/// <c>rlreg compare --interventions</c> write them, and their parsing into <see cref="InterventionKind"/>.</summary>
public static class InterventionNames
{
    /// <summary>Every name, <c>none</c> first.</summary>
    public static IReadOnlyList<string> All { get; } = [.. Enum.GetValues<InterventionKind>().Select(Name)];

    /// <summary>The name of <paramref name="kind"/> (none, l2init, snp, reset, redo).</summary>
    public static string Name(InterventionKind kind) => kind.ToString().ToLowerInvariant();

    /// <summary>The intervention named <paramref name="name"/> (any case); an unknown name is an error listing the valid ones.</summary>
    public static InterventionKind Parse(string name)
    {
        foreach (InterventionKind kind in Enum.GetValues<InterventionKind>())
            if (string.Equals(Name(kind), name, StringComparison.OrdinalIgnoreCase)) return kind;
        throw new ArgumentException($"unknown intervention '{name}'. Valid: {string.Join(", ", All)}");
    }
}
