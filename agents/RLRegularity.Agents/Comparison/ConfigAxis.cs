namespace RLRegularity.Agents.Comparison;

/// <summary>An agent config key swept by a study, with its values as JSON literals (<c>0.001</c>, <c>"rn"</c>).</summary>
/// <param name="Key">The config key (snake_case, dotted for nested keys).</param>
/// <param name="Values">Its values, as JSON text.</param>
public sealed record ConfigAxis(string Key, string[] Values);
