namespace RLRegularity.Networks;

/// <summary>Where a policy's no-grad forwards (acting, rollouts, bootstrap values) run.</summary>
public enum InferencePath
{
    /// <summary>In C# on the modules' own parameter memory (<see cref="HostMlp"/>): several times faster at MLP sizes.</summary>
    Host,
    /// <summary>Through the TorchSharp modules (libtorch): always for grid encoders, bn, wn and float64, or when host inference is off.</summary>
    Libtorch,
}
