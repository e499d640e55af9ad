using RLRegularity.Agents.Common;
using RLRegularity.Envs.Core;
using RLRegularity.Optimization;
using static TorchSharp.torch;

namespace RLRegularity.Agents.Interventions;

/// <summary>
/// A learner's plasticity instruments in one place (docs/PLASTICITY.md): the diagnostics of its policy's heads and its
/// intervention, the hooks its loop calls, and their checkpointed state. With neither configured every hook is a no-op,
/// so the loop reads the same whatever is chosen.
/// </summary>
public sealed class LearnerPlasticity
{
    private readonly IPlasticNetworks _networks;
    private readonly DirectAdam _optimizer;
    private readonly PlasticityDiagnostics? _diagnostics;
    private readonly int _diagnosticsEvery;

    /// <summary>
    /// Instruments <paramref name="networks"/>, trained by <paramref name="optimizer"/>, whose parameters must be at their
    /// initial values now. Diagnostics run every <paramref name="diagnosticsEvery"/> updates (none when null or not
    /// positive, or without <paramref name="probeEnvironment"/>, which makes the probe batch's environment) on
    /// <paramref name="probeSize"/> observations; <paramref name="intervention"/> acts with <paramref name="options"/>.
    /// </summary>
    public LearnerPlasticity(IPlasticNetworks networks, DirectAdam optimizer, long seed, int? diagnosticsEvery, int probeSize,
                             Func<IEnv>? probeEnvironment, InterventionKind intervention, InterventionOptions options)
    {
        _networks = networks ?? throw new ArgumentNullException(nameof(networks));
        _optimizer = optimizer ?? throw new ArgumentNullException(nameof(optimizer));
        if (diagnosticsEvery is int every && every > 0 && probeEnvironment is not null)
        {
            _diagnostics = new PlasticityDiagnostics(networks.Heads, probeEnvironment, seed, probeSize);
            _diagnosticsEvery = every;
        }
        if (intervention != InterventionKind.None)
            Intervention = new PlasticityIntervention(intervention, options, optimizer, networks.Heads, networks.FreshCopy, seed);
    }

    /// <summary>The plasticity intervention in use, or null for <c>none</c>.</summary>
    public PlasticityIntervention? Intervention { get; }

    /// <summary>Updates between two measurements, or null when there are no diagnostics.</summary>
    public int? DiagnosticsEvery => _diagnostics is null ? null : _diagnosticsEvery;

    /// <summary>After the loss's backward, before gradient clipping (l2init adds its pull to the gradients).</summary>
    public void AfterBackward() => Intervention?.AfterBackward();

    /// <summary>After every optimizer step on the batch of <paramref name="rows"/> observations of
    /// <paramref name="observationSize"/> floats in <paramref name="observations"/> (snp and redo act here).</summary>
    public void AfterOptimizerStep(float[] observations, int rows, int observationSize) =>
        Intervention?.AfterOptimizerStep(() => _networks.HeadInput(tensor(observations, [rows, observationSize])));

    /// <summary>After the environment steps up to <paramref name="globalStep"/> (reset acts here).</summary>
    public void AtEnvironmentStep(long globalStep) => Intervention?.AtEnvironmentStep(globalStep);

    /// <summary>Every hidden layer's diagnostics on the probe batch now (empty without diagnostics); gradient norms as the
    /// last backward gave them, before the optimizer's clipping.</summary>
    public IReadOnlyList<LayerDiagnostics> Diagnostics() => _diagnostics?.Measure(_networks.HeadInput, _optimizer.LastClipCoefficient) ?? [];

    /// <summary>Writes the diagnostics' initial weights and the intervention's state into checkpoint <paramref name="directory"/>.</summary>
    public void Save(string directory)
    {
        _diagnostics?.SaveInitialWeights(directory);
        Intervention?.Save(directory);
    }

    /// <summary>Reads what <see cref="Save"/> wrote.</summary>
    public void Load(string directory)
    {
        _diagnostics?.LoadInitialWeights(directory);
        Intervention?.Load(directory);
    }
}
