using TorchSharp;

namespace RLRegularity.Networks;

/// <summary>
/// Where a policy's no-grad forwards run, decided once when the policy is built: on the host when host inference is on,
/// no encoder precedes the heads and every head has a <see cref="HostMlp"/> form, else through libtorch, with the reason.
/// </summary>
public sealed class InferencePlan
{
    private readonly HostMlp[] _hostHeads;

    private InferencePlan(HostMlp[] hostHeads, string? fallbackReason)
    {
        _hostHeads = hostHeads;
        HostFallbackReason = fallbackReason;
    }

    /// <summary>
    /// Decides for <paramref name="heads"/> (named for the reason, e.g. "actor"), read after <paramref name="encoder"/>
    /// when there is one. <paramref name="hostInference"/> false (the config's <c>host_inference</c>) always means libtorch.
    /// </summary>
    public static InferencePlan Decide(bool hostInference, torch.nn.Module? encoder, IReadOnlyList<(string Name, Mlp Network)> heads)
    {
        ArgumentNullException.ThrowIfNull(heads);
        if (!hostInference) return new([], "host_inference is false");
        if (encoder is not null) return new([], $"the {encoder.GetType().Name} before the heads has no host form (convolutions)");
        var hostHeads = new HostMlp[heads.Count];
        for (int i = 0; i < heads.Count; i++)
        {
            if (HostMlp.TryCreate(heads[i].Network, out string? reason) is not { } host) return new([], $"the {heads[i].Name}: {reason}");
            hostHeads[i] = host;
        }
        return new(hostHeads, null);
    }

    /// <summary>Where the forwards run.</summary>
    public InferencePath Path => _hostHeads.Length > 0 ? InferencePath.Host : InferencePath.Libtorch;

    /// <summary>Why the forwards run through libtorch, or null when they run on the host.</summary>
    public string? HostFallbackReason { get; }

    /// <summary>The host form of head <paramref name="index"/> (in the order given to <see cref="Decide"/>); only on <see cref="InferencePath.Host"/>.</summary>
    public HostMlp Head(int index) => Path == InferencePath.Host ? _hostHeads[index]
        : throw new InvalidOperationException($"the forwards run through libtorch: {HostFallbackReason}");
}
