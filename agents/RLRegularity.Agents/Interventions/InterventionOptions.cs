using System.ComponentModel.DataAnnotations;

namespace RLRegularity.Agents.Interventions;

/// <summary>
/// The options of the plasticity interventions (config keys <c>intervention_options.*</c>); each is read only by its own
/// intervention. Where a default comes from is in docs/PLASTICITY.md#interventions.
/// </summary>
public sealed record InterventionOptions
{
    /// <summary>Every option at its default.</summary>
    public static InterventionOptions Default { get; } = new();

    /// <summary><c>l2init</c>: λ of the penalty λ‖θ − θ₀‖², whose gradient 2λ(θ − θ₀) is added to every parameter's
    /// gradient after the loss's backward and before gradient-norm clipping.</summary>
    [Range(0.0, 1e3)]
    public double L2InitCoefficient { get; init; } = 1e-3;

    /// <summary><c>snp</c>: the shrink factor α of θ ← αθ + σ·θ_fresh, applied after every optimizer step.</summary>
    [Range(0.0, 1.0)]
    public double ShrinkFactor { get; init; } = 0.9999;

    /// <summary><c>snp</c>: the perturbation scale σ of θ ← αθ + σ·θ_fresh (θ_fresh a fresh draw of the initial
    /// distribution); σ = 1 − α keeps the update a convex mix of the current and a fresh network.</summary>
    [Range(0.0, 1e3)]
    public double PerturbScale { get; init; } = 1e-4;

    /// <summary><c>reset</c>: environment steps between resets (the first at this step).</summary>
    [Range(1, long.MaxValue)]
    public long ResetEvery { get; init; } = 20_000;

    /// <summary><c>reset</c>: how many linear layers, counted from the output, each network re-initialises (1 = the output layer).</summary>
    [Range(1, 1000)]
    public int ResetLayers { get; init; } = 1;

    /// <summary><c>redo</c>: gradient steps between dormant-unit recycles (the first after this many).</summary>
    [Range(1, int.MaxValue)]
    public int RedoEvery { get; init; } = 1000;

    /// <summary><c>redo</c>: τ; a hidden unit whose score (its mean |activation| over the batch divided by its layer's mean)
    /// is at most τ is recycled.</summary>
    [Range(0.0, 1e3)]
    public double RedoThreshold { get; init; } = 0.025;
}
