using TorchSharp;
using static TorchSharp.torch;

namespace RLRegularity.Normalization;

/// <summary>Finds and drives the RN-family layers of any network: modes, priors and probe snapshots.</summary>
public static class RegularityLayers
{
    /// <summary>The RN-family layers of <paramref name="module"/>, depth first, in registration order.</summary>
    public static IReadOnlyList<IRegularityLayer> Find(nn.Module module)
    {
        var found = new List<IRegularityLayer>();
        var hidden = new HashSet<nn.Module>(ReferenceEqualityComparer.Instance);
        foreach (nn.Module candidate in module.modules().Prepend(module))
        {
            if (hidden.Contains(candidate) || candidate is not IRegularityLayer layer) continue;
            found.Add(layer);
            // An RN layer's own submodules (e.g. the RN inside rnln) report through it.
            foreach (nn.Module inner in candidate.modules()) hidden.Add(inner);
            hidden.Add(candidate);
        }
        return found;
    }

    /// <summary>Sets the mode override of every RN-family layer.</summary>
    public static void SetMode(nn.Module module, RegularityMode mode)
    {
        foreach (IRegularityLayer layer in Find(module)) layer.ModeOverride = mode;
    }

    /// <summary>Gives every RN-family layer the same per-sample prior for its next forward call.</summary>
    public static void SetPrior(nn.Module module, Tensor? prior)
    {
        foreach (IRegularityLayer layer in Find(module)) layer.SetPrior(prior);
    }

    /// <summary>The probe snapshots of every RN-family layer.</summary>
    public static IReadOnlyList<RegularitySnapshot> Snapshot(nn.Module module) => [.. Find(module).Select(l => l.Snapshot())];
}
