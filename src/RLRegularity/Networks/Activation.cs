namespace RLRegularity.Networks;

/// <summary>Hidden-layer activation functions.</summary>
public enum Activation
{
    /// <summary>max(0, x).</summary>
    ReLU,
    /// <summary>Hyperbolic tangent.</summary>
    Tanh,
}
