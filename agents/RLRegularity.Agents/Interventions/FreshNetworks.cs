using RLRegularity.Networks;
using TorchSharp.Modules;

namespace RLRegularity.Agents.Interventions;

/// <summary>
/// A freshly initialised copy of a learner's trained networks, drawn from the same initial distribution as the live
/// ones (the same constructors and init schemes, seeded from the intervention's own random stream): the source of
/// θ_fresh for <c>snp</c> and of the new weights of <c>reset</c> and <c>redo</c>. Disposing it disposes the copy.
/// </summary>
public sealed class FreshNetworks : IDisposable
{
    private readonly IDisposable _owner;

    /// <summary>Wraps a copy whose <paramref name="parameters"/> are aligned one to one (order and shapes) with the
    /// optimizer's parameters and whose <paramref name="heads"/> are aligned with the learner's MLP heads;
    /// <paramref name="owner"/> is disposed with it.</summary>
    public FreshNetworks(IReadOnlyList<Parameter> parameters, IReadOnlyList<(string Name, Mlp Network)> heads, IDisposable owner)
    {
        Parameters = parameters ?? throw new ArgumentNullException(nameof(parameters));
        Heads = heads ?? throw new ArgumentNullException(nameof(heads));
        _owner = owner ?? throw new ArgumentNullException(nameof(owner));
    }

    /// <summary>The copy's parameters, in the optimizer's order.</summary>
    public IReadOnlyList<Parameter> Parameters { get; }

    /// <summary>The copy's MLP heads, in the learner's order.</summary>
    public IReadOnlyList<(string Name, Mlp Network)> Heads { get; }

    /// <summary>Disposes the copy.</summary>
    public void Dispose() => _owner.Dispose();
}
