namespace RLRegularity.Agents.Comparison;

/// <summary>One combination of a study's non-normalizer axes: a normalizers × seeds comparison in its own folder.</summary>
/// <param name="Axes">The multi-valued axes and their values here (empty for a single-group study).</param>
/// <param name="Folder">The group's folder relative to the study folder ("" for a single-group study).</param>
/// <param name="Comparison">The group as a one-axis comparison (its overrides include the config-axis values).</param>
public sealed record StudyGroup(IReadOnlyList<KeyValuePair<string, string>> Axes, string Folder, ComparisonStudy Comparison)
{
    /// <summary>A title such as <c>env=Acrobot-v1, learning_rate=0.001</c>; empty for a single-group study.</summary>
    public string Title => string.Join(", ", Axes.Select(a => $"{a.Key}={a.Value}"));
}
