namespace RLRegularity.Envs.Core;

/// <summary>Thrown when an environment id is not registered; the message lists the registered ids.</summary>
public sealed class UnknownEnvironmentException(string id, IEnumerable<string> knownIds)
    : ArgumentException($"unknown environment id '{id}'. Known ids: {string.Join(", ", knownIds)}")
{
    /// <summary>The id that was asked for.</summary>
    public string Id { get; } = id;
}
