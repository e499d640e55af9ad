using System.Reflection;

namespace RLRegularity.Agents.Common;

/// <summary>
/// The commit this library was built from and whether the work tree had uncommitted changes, embedded at build time
/// (build/GitProvenance.targets), so a run names the code that produced it wherever the binary runs; null when the
/// build had no git checkout.
/// </summary>
public static class BuildProvenance
{
    /// <summary>The 40-hex commit id, or null.</summary>
    public static string? GitCommit { get; } = Metadata("GitCommit");

    /// <summary>True if the build's work tree differed from <see cref="GitCommit"/>; null when unknown.</summary>
    public static bool? GitDirty { get; } = Metadata("GitDirty") switch
    {
        "true" => true,
        "false" => false,
        _ => null,
    };

    private static string? Metadata(string key) =>
        typeof(BuildProvenance).Assembly.GetCustomAttributes<AssemblyMetadataAttribute>()
            .FirstOrDefault(a => a.Key == key)?.Value is { Length: > 0 } value ? value : null;
}
