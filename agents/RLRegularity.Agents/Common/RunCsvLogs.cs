using RLRegularity.Normalization;
using RLRegularity.Records;

namespace RLRegularity.Agents.Common;

/// <summary>
/// The run's CSV logs (episodes.csv, updates.csv, regularity.csv, diagnostics.csv when on; runs/README.md lists their columns). On resume each
/// file is cut back to the length its checkpoint recorded, so rows are never duplicated or lost.
/// </summary>
internal sealed class RunCsvLogs : ITrainingObserver, IDisposable
{
    private readonly CsvLog _episodes;
    private readonly CsvLog _updates;
    private readonly CsvLog _regularity;
    private readonly CsvLog? _diagnostics;
    private readonly RunClock _clock;

    public RunCsvLogs(RunFolder folder, IReadOnlyList<string> updateColumns, RunClock clock, RunState? resumedFrom, bool withDiagnostics)
    {
        _clock = clock;
        _episodes = new CsvLog(folder.File(RunFolder.EpisodesFile), CsvSchema<EpisodeRow>.Columns, resumedFrom?.EpisodesCsvLength);
        _updates = new CsvLog(folder.File(RunFolder.UpdatesFile), ["global_step", "update", .. updateColumns, "wall_seconds"], resumedFrom?.UpdatesCsvLength);
        _regularity = new CsvLog(folder.File(RunFolder.RegularityFile), CsvSchema<RegularityRow>.Columns, resumedFrom?.RegularityCsvLength);
        if (withDiagnostics)
            _diagnostics = new CsvLog(folder.File(RunFolder.DiagnosticsFile), CsvSchema<DiagnosticsRow>.Columns, resumedFrom?.DiagnosticsCsvLength);
    }

    /// <summary>diagnostics.csv's length in bytes now (for a checkpoint), or null when the run has no diagnostics.</summary>
    public long? DiagnosticsLength => _diagnostics?.Length;

    /// <summary>The files' lengths in bytes now (for a checkpoint).</summary>
    public (long Episodes, long Updates, long Regularity) Lengths => (_episodes.Length, _updates.Length, _regularity.Length);

    public void OnEpisode(EpisodeRecord episode)
    {
        double? schedule = episode.Info.TryGetValue(Envs.NonStationary.NonStationaryWrapper.ScheduleValueKey, out double v) ? v : null;
        _episodes.Write(new EpisodeRow(episode.GlobalStep, episode.Episode, episode.Return, episode.Length, _clock.EventSeconds, schedule));
    }

    public void OnUpdate(UpdateRecord update)
    {
        object?[] row = new object?[update.Values.Length + 3];
        row[0] = update.GlobalStep;
        row[1] = update.Update;
        for (int i = 0; i < update.Values.Length; i++) row[i + 2] = update.Values[i];
        row[^1] = _clock.EventSeconds;
        _updates.Write(row);
    }

    public void OnRegularity(UpdateRecord update, IReadOnlyList<RegularitySnapshot> snapshots)
    {
        _regularity.WriteAll(snapshots.Select(s => new RegularityRow(update.GlobalStep, update.Update, s.Layer, s.Calls, s.CodeLength,
                                                                     s.CodeLengthBatchMean, s.Comp, s.Mean, s.Std, s.Count, s.NonPositiveCodeLengths, s.Initialized)));
    }

    // No wall time in these rows: a resumed run writes a file identical to an uninterrupted run's.
    public void OnDiagnostics(UpdateRecord update, IReadOnlyList<LayerDiagnostics> layers)
    {
        if (_diagnostics is null) return;
        _diagnostics.WriteAll(layers.Select(d => new DiagnosticsRow(update.GlobalStep, update.Update, d.Network, d.Layer, d.Units, d.DormantFractionTau0,
            d.DormantFractionTau0025, d.DormantFractionTau01, d.EffectiveRank, d.Srank99, d.WeightRms, d.WeightDistanceFromInitRms, d.GradNorm)));
    }

    public void Dispose()
    {
        _diagnostics?.Dispose();
        _episodes.Dispose();
        _updates.Dispose();
        _regularity.Dispose();
    }
}
