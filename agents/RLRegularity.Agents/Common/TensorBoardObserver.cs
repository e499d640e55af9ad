using RLRegularity.Logging;
using RLRegularity.Normalization;

namespace RLRegularity.Agents.Common;

/// <summary>
/// The run's scalars for TensorBoard: every episode's return and length, and update and regularity scalars at most once
/// per <see cref="UpdateSpacing"/> environment steps, and every plasticity diagnostic (already sparse) under
/// diagnostics/NETWORK.LAYER/METRIC. The thinning's position is checkpointed, so a resumed run logs
/// the points an uninterrupted one would.
/// </summary>
internal sealed class TensorBoardObserver : ITrainingObserver
{
    /// <summary>
    /// Environment steps between two updates' scalars (CleanRL's DQN cadence). TorchSharp's writer opens the event file
    /// for every scalar, which at DQN's update rate cost a seventh of the run; the CSVs keep every update.
    /// </summary>
    public const long UpdateSpacing = 100;

    private readonly TensorBoardLog _log;
    private readonly IReadOnlyList<string> _updateColumns;
    private bool _thisUpdateLogged;

    /// <summary>Writes into <paramref name="folder"/>; <paramref name="purgeFromStep"/> as <see cref="TensorBoardLog"/>.</summary>
    public TensorBoardObserver(string folder, IReadOnlyList<string> updateColumns, long? purgeFromStep, long? lastUpdateStep)
    {
        _log = new TensorBoardLog(folder, purgeFromStep);
        _updateColumns = updateColumns;
        LastUpdateStep = lastUpdateStep;
    }

    /// <summary>The event log, for other observers' scalars.</summary>
    public TensorBoardLog Log => _log;

    /// <summary>The global step of the last update whose scalars were logged (for a checkpoint).</summary>
    public long? LastUpdateStep { get; private set; }

    public void OnEpisode(EpisodeRecord episode)
    {
        _log.Scalar("charts/episodic_return", episode.Return, episode.GlobalStep);
        _log.Scalar("charts/episodic_length", episode.Length, episode.GlobalStep);
    }

    public void OnUpdate(UpdateRecord update)
    {
        _thisUpdateLogged = LastUpdateStep is not long last || update.GlobalStep - last >= UpdateSpacing;
        if (!_thisUpdateLogged) return;
        LastUpdateStep = update.GlobalStep;
        for (int i = 0; i < update.Values.Length; i++) _log.Scalar("losses/" + _updateColumns[i], update.Values[i], update.GlobalStep);
    }

    public void OnRegularity(UpdateRecord update, IReadOnlyList<RegularitySnapshot> snapshots)
    {
        if (!_thisUpdateLogged) return;
        foreach (RegularitySnapshot s in snapshots)
        {
            if (s.CodeLength is double l) _log.Scalar("regularity/" + s.Layer, l, update.GlobalStep);
        }
    }

    public void OnDiagnostics(UpdateRecord update, IReadOnlyList<LayerDiagnostics> layers)
    {
        foreach (LayerDiagnostics d in layers)
        {
            string prefix = $"diagnostics/{d.Network}.{d.Layer}/";
            _log.Scalar(prefix + "dormant_fraction_tau_0", d.DormantFractionTau0, update.GlobalStep);
            _log.Scalar(prefix + "dormant_fraction_tau_0_025", d.DormantFractionTau0025, update.GlobalStep);
            _log.Scalar(prefix + "dormant_fraction_tau_0_1", d.DormantFractionTau01, update.GlobalStep);
            _log.Scalar(prefix + "effective_rank", d.EffectiveRank, update.GlobalStep);
            _log.Scalar(prefix + "srank_99", d.Srank99, update.GlobalStep);
            _log.Scalar(prefix + "weight_rms", d.WeightRms, update.GlobalStep);
            _log.Scalar(prefix + "weight_distance_from_init_rms", d.WeightDistanceFromInitRms, update.GlobalStep);
            _log.Scalar(prefix + "grad_norm", d.GradNorm, update.GlobalStep);
        }
    }
}
