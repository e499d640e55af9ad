namespace RLRegularity.Envs.Core;

/// <summary>
/// The environment registry, as Gymnasium's <c>gym.make</c>: <c>EnvRegistry.Make("CartPole-v1")</c> builds the
/// environment and applies its time limit. The registry knows no family: each family registers its ids (the built-in
/// ones when the assembly loads, see BuiltInEnvironments), and users may add their own.
/// </summary>
public static class EnvRegistry
{
    private static readonly Dictionary<string, EnvSpec> Specs = new(StringComparer.Ordinal);
    private static readonly object Gate = new();

    /// <summary>The registered ids, sorted.</summary>
    public static IReadOnlyList<string> Ids
    {
        get
        {
            lock (Gate) return [.. Specs.Keys.Order(StringComparer.Ordinal)];
        }
    }

    /// <summary>Adds a spec; registering an id twice is an error.</summary>
    public static void Register(EnvSpec spec)
    {
        ArgumentNullException.ThrowIfNull(spec);
        if (string.IsNullOrWhiteSpace(spec.Id)) throw new ArgumentException("an environment id must not be empty", nameof(spec));
        lock (Gate)
        {
            if (!Specs.TryAdd(spec.Id, spec)) throw new ArgumentException($"environment id '{spec.Id}' is already registered", nameof(spec));
        }
    }

    /// <summary>True if <paramref name="id"/> is registered.</summary>
    public static bool Contains(string id)
    {
        lock (Gate) return Specs.ContainsKey(id);
    }

    /// <summary>The spec registered under <paramref name="id"/>; an unknown id throws <see cref="UnknownEnvironmentException"/>.</summary>
    public static EnvSpec Spec(string id)
    {
        lock (Gate)
        {
            if (Specs.TryGetValue(id, out EnvSpec? spec)) return spec;
        }
        throw new UnknownEnvironmentException(id, Ids);
    }

    /// <summary>
    /// Builds the environment registered under <paramref name="id"/>, wrapped in its <see cref="TimeLimit"/>
    /// (or <paramref name="maxEpisodeSteps"/> if given). An unknown id throws, listing the known ids.
    /// </summary>
    public static IEnv Make(string id, int? maxEpisodeSteps = null)
    {
        EnvSpec spec = Spec(id);
        IEnv env = spec.Factory();
        env.Spec = spec;
        int? limit = maxEpisodeSteps ?? spec.MaxEpisodeSteps;
        return limit is int steps ? new TimeLimit(env, steps) : env;
    }
}
