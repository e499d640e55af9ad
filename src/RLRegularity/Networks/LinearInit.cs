namespace RLRegularity.Networks;

/// <summary>How the linear layers of an actor-critic are initialised (convolutions always keep PyTorch's default).</summary>
public enum LinearInit
{
    /// <summary>PyTorch's default (Kaiming-uniform weights, uniform biases).</summary>
    Default,
    /// <summary>CleanRL: orthogonal weights, gain √2 on hidden layers, 0.01 on the actor output, 1 on the critic output; zero biases.</summary>
    Orthogonal,
    /// <summary>rl-starter-files' <c>init_params</c> (SPEC §6.2): weights N(0, 1) with each row scaled to unit norm; zero biases.</summary>
    NormalRows,
}
