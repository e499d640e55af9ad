using RLRegularity.Networks;
using static TorchSharp.torch;

namespace RLRegularity.Agents.Interventions;

/// <summary>A policy's networks as the plasticity diagnostics and interventions see them: its MLP heads, what they read, and fresh copies.</summary>
public interface IPlasticNetworks
{
    /// <summary>The trained MLP heads by name (what the diagnostics measure and reset and redo act on), in a fixed order.</summary>
    IReadOnlyList<(string Name, Mlp Network)> Heads { get; }

    /// <summary>What the heads read from <paramref name="observations"/>: an encoder's features, or the observations themselves.</summary>
    Tensor HeadInput(Tensor observations);

    /// <summary>A freshly initialised copy of the trained networks from <paramref name="seed"/>, aligned one to one with
    /// the optimizer's parameters and with <see cref="Heads"/>.</summary>
    FreshNetworks FreshCopy(long seed);
}
