namespace RLRegularity.Networks;

/// <summary>Which network turns an observation into the features the heads read.</summary>
public enum ObservationEncoder
{
    /// <summary><see cref="Grid"/> when the observation is a MiniGrid image (a [W, H, C] uint8 box of a MiniGrid environment), else <see cref="Mlp"/>.</summary>
    Auto,
    /// <summary>None: the heads read the flat observation.</summary>
    Mlp,
    /// <summary>The convolutional <see cref="GridEncoder"/>.</summary>
    Grid,
}
