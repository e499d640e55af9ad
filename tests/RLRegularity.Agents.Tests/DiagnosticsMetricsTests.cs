using RLRegularity.Agents.Comparison;
using RLRegularity.Records;

namespace RLRegularity.Agents.Tests;

/// <summary>runs.csv's plasticity metrics: layer means at the measurements before the change, after it and at the end.</summary>
public sealed class DiagnosticsMetricsTests
{
    private static DiagnosticsRow Row(long step, string layer, double dormant, double rank, double distance) =>
        new(step, step / 10, "actor", layer, 64, 0, dormant, 0.5, rank, 3, 0.1, distance, 1);

    [Fact]
    public void EachPointIsTheLayerMeanAtTheRightMeasurement()
    {
        DiagnosticsRow[] rows =
        [
            Row(100, "fc1", 0.10, 10, 0.01), Row(100, "fc2", 0.30, 20, 0.03),
            Row(200, "fc1", 0.20, 12, 0.05), Row(200, "fc2", 0.40, 14, 0.07),
            Row(260, "fc1", 0.90, 1, 0.9), Row(260, "fc2", 0.90, 1, 0.9),   // past the window: not "after the change"
            Row(300, "fc1", 0.50, 30, 0.11), Row(300, "fc2", 0.70, 40, 0.13),
        ];
        // Change at step 150, window 100: before = step 100, after = the last in (150, 250] = step 200, final = step 300.
        var metrics = ResultsTable.DiagnosticsMetrics(rows, 150, 100).ToDictionary(m => m.Name, m => m.Value);
        Assert.Equal(0.20, metrics["dormant_before_change"]!.Value, 12);
        Assert.Equal(0.30, metrics["dormant_after_change"]!.Value, 12);
        Assert.Equal(0.60, metrics["dormant_final"]!.Value, 12);
        Assert.Equal(15, metrics["effective_rank_before_change"]!.Value, 12);
        Assert.Equal(13, metrics["effective_rank_after_change"]!.Value, 12);
        Assert.Equal(35, metrics["effective_rank_final"]!.Value, 12);
        Assert.Equal(0.06, metrics["weight_distance_after_change"]!.Value, 12);
        Assert.Equal(9, metrics.Count);
    }

    [Fact]
    public void AStationaryTaskHasOnlyFinalValuesAndAChangeBeforeAnyMeasurementHasNoBefore()
    {
        DiagnosticsRow[] rows = [Row(100, "fc1", 0.1, 10, 0.01), Row(200, "fc1", 0.2, 12, 0.05)];
        var stationary = ResultsTable.DiagnosticsMetrics(rows, null, 100).ToList();
        Assert.Equal(["dormant_final", "effective_rank_final", "weight_distance_final"], stationary.Select(m => m.Name));
        var early = ResultsTable.DiagnosticsMetrics(rows, 50, 100).ToDictionary(m => m.Name, m => m.Value);
        Assert.Null(early["dormant_before_change"]);
        Assert.Equal(0.1, early["dormant_after_change"]!.Value, 12);
    }
}
