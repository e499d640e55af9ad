using System.Text.Json.Nodes;

namespace RLRegularity.Agents.Common;

/// <summary>What a checkpoint records besides the learner (its run.state.json): wall time and CSV lengths at that
/// moment, the step, the run's config then (to detect a config.json edited since; null in checkpoints of earlier
/// versions) and where TensorBoard's update thinning stood.</summary>
internal sealed record RunState(double WallSeconds, long? EpisodesCsvLength, long? UpdatesCsvLength, long? RegularityCsvLength,
                                long? Step = null, JsonObject? Config = null, long? LastTensorBoardUpdateStep = null)
{
    /// <summary>The file name inside a checkpoint.</summary>
    public const string FileName = "run.state.json";
}
