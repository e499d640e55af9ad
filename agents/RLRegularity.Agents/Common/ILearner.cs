using RLRegularity.Normalization;

namespace RLRegularity.Agents.Common;

/// <summary>
/// A learning algorithm bound to its environment(s), networks and optimizer (SB3's <c>learn</c>/<c>save</c>/<c>load</c>).
/// <see cref="LearnUntil"/> may be called repeatedly: the learner keeps its episodes, buffers and counters between calls,
/// so a runner can stop at any step to write a checkpoint and go on.
/// </summary>
public interface ILearner : IDisposable
{
    /// <summary>Environment steps taken so far (summed over vector copies).</summary>
    long GlobalStep { get; }

    /// <summary>Episodes finished so far.</summary>
    long Episodes { get; }

    /// <summary>Learning updates done so far.</summary>
    long Updates { get; }

    /// <summary>The column names of the metrics in <see cref="UpdateRecord.Values"/>, in order.</summary>
    IReadOnlyList<string> UpdateColumns { get; }

    /// <summary>The acting policy.</summary>
    IPolicy Policy { get; }

    /// <summary>The networks behind <see cref="Policy"/>, by name (their parameters and registered state, RN's included):
    /// what a copy of the learner needs to act as this one does.</summary>
    IEnumerable<(string Name, TorchSharp.torch.nn.Module Network)> PolicyNetworks { get; }

    /// <summary>Trains until <see cref="GlobalStep"/> ≥ <paramref name="untilStep"/> (stopping at the first safe point past it)
    /// or until <paramref name="cancellation"/> is signalled, reporting episodes and updates to <paramref name="observer"/>.</summary>
    void LearnUntil(long untilStep, ITrainingObserver observer, CancellationToken cancellation);

    /// <summary>The probe snapshot of every RN-family layer of the learner's networks.</summary>
    IReadOnlyList<RegularitySnapshot> RegularitySnapshots();

    /// <summary>Learning updates between two plasticity diagnostics (<see cref="Diagnostics"/>), or null when they are off.</summary>
    int? DiagnosticsEvery => null;

    /// <summary>The plasticity diagnostics of every hidden layer of the policy networks now (docs/PLASTICITY.md); measuring
    /// changes nothing in training. Empty when the learner has none.</summary>
    IReadOnlyList<LayerDiagnostics> Diagnostics() => [];

    /// <summary>Writes weights, optimizer, RN state, buffers, RNG states and counters into <paramref name="directory"/>.</summary>
    void SaveCheckpoint(string directory);

    /// <summary>Restores a checkpoint written by <see cref="SaveCheckpoint"/> by a learner of the same configuration.</summary>
    void LoadCheckpoint(string directory);
}

/// <summary>Receives what a learner produces while it trains.</summary>
public interface ITrainingObserver
{
    /// <summary>Called when an episode finishes.</summary>
    void OnEpisode(EpisodeRecord episode);

    /// <summary>Called after every learning update.</summary>
    void OnUpdate(UpdateRecord update);

    /// <summary>Called after <see cref="OnUpdate"/> on the updates whose probe is recorded, with every RN-family layer's
    /// snapshot (taken once for all observers).</summary>
    void OnRegularity(UpdateRecord update, IReadOnlyList<RegularitySnapshot> snapshots) { }

    /// <summary>Called after <see cref="OnUpdate"/> (and <see cref="OnRegularity"/>) on every
    /// <see cref="ILearner.DiagnosticsEvery"/>-th update, with the plasticity diagnostics (measured once for all observers).</summary>
    void OnDiagnostics(UpdateRecord update, IReadOnlyList<LayerDiagnostics> layers) { }
}

/// <summary>A finished training episode.</summary>
/// <param name="GlobalStep">The global step at which it finished.</param>
/// <param name="Episode">Its number (1-based, over the whole run).</param>
/// <param name="Return">Undiscounted return.</param>
/// <param name="Length">Length in steps.</param>
/// <param name="Info">The last step's info values (e.g. a drift schedule's current value); may be empty.</param>
public sealed record EpisodeRecord(long GlobalStep, long Episode, double Return, int Length, IReadOnlyDictionary<string, double> Info);

/// <summary>Metrics of one learning update, in the order of <see cref="ILearner.UpdateColumns"/>.</summary>
public sealed record UpdateRecord(long GlobalStep, long Update, double[] Values);

/// <summary>A policy that maps one observation to an action.</summary>
public interface IPolicy
{
    /// <summary>Chooses an action: greedy (or the distribution's mode) when <paramref name="deterministic"/>, else as in training.</summary>
    int Act(ReadOnlySpan<float> observation, bool deterministic);
}
