using static TorchSharp.torch;

namespace RLRegularity.Normalization;

/// <summary>An RN-family layer: its name, mode override, per-call prior, probe snapshot and state reset.</summary>
public interface IRegularityLayer
{
    /// <summary>The layer's name in probe logs (e.g. fc1.rn).</summary>
    string LayerName { get; }

    /// <summary>Overrides the module's training flag for this layer.</summary>
    RegularityMode ModeOverride { get; set; }

    /// <summary>Sets the per-sample prior s_b (shape [B] or [B,1]) for the next forward call only; null clears it.</summary>
    void SetPrior(Tensor? prior);

    /// <summary>The probe values after the last call.</summary>
    RegularitySnapshot Snapshot();

    /// <summary>Forgets all statistics and COMP (as a newly created layer).</summary>
    void ResetState();
}
