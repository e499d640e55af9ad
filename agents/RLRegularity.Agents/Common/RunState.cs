using System.Text.Json.Nodes;

namespace RLRegularity.Agents.Common;

/// <summary>What a checkpoint records besides the learner (its run.state.json): wall time and CSV lengths at that
/// moment, the step, the run's config then (to detect a config.json edited since; null in checkpoints of earlier
/// versions), where TensorBoard's update thinning stood, evals.csv's length and the step of the last evaluation, and
/// diagnostics.csv's length.</summary>
internal sealed record RunState(double WallSeconds, long? EpisodesCsvLength, long? UpdatesCsvLength, long? RegularityCsvLength,
                                long? Step = null, JsonObject? Config = null, long? LastTensorBoardUpdateStep = null,
                                long? EvalsCsvLength = null, long? LastEvaluationStep = null, long? DiagnosticsCsvLength = null)
{
    /// <summary>The file name inside a checkpoint.</summary>
    public const string FileName = "run.state.json";
}
