namespace RLRegularity.Normalization;

/// <summary>Thrown when an RN layer's code length is not finite (SPEC §4 guard 3); names the layer, the call and the statistics.</summary>
public sealed class NonFiniteCodeLengthException(string layer, long call, string statistics)
    : ArithmeticException($"RN layer '{layer}' produced a non-finite code length at call {call} ({statistics})")
{
    /// <summary>The layer's name.</summary>
    public string Layer { get; } = layer;

    /// <summary>The call index (0-based).</summary>
    public long Call { get; } = call;
}
