using TorchSharp;
using static TorchSharp.torch;

namespace RLRegularity.Normalization;

/// <summary>
/// The normalizers by name, as every network, the CLI and config files ask for them: none, bn (batch norm), ln (layer
/// norm), wn (weight normalization of the linear layers), rn (scalar RN), rln (per-unit RN), rnln (LayerNorm then RN),
/// rnr (RN with the reward prior) and probe (RN's state machine with identity output).
/// </summary>
public static class Normalizers
{
    /// <summary>Every valid name.</summary>
    public static IReadOnlyList<string> Names { get; } = ["none", "bn", "ln", "wn", "rn", "rln", "rnln", "rnr", "probe"];

    /// <summary>True for the RN family (layers with regularity state and a probe).</summary>
    public static bool IsRegularityFamily(string name) => name is "rn" or "rln" or "rnln" or "rnr" or "probe";

    /// <summary>Whether the normalizer's RN layers read a per-sample reward prior (<c>rnr</c>), which the agents then compute for every training batch.</summary>
    public static bool TakesRewardPrior(string name) => name == "rnr";

    /// <summary>Throws an <see cref="ArgumentException"/> naming <paramref name="name"/> and listing the valid names if it is not one.</summary>
    public static void Validate(string name)
    {
        if (!Names.Contains(name)) throw new ArgumentException($"unknown normalizer '{name}'. Valid: {string.Join(", ", Names)}");
    }

    /// <summary>The hidden-layer normalizer module for <paramref name="features"/> units; identity for none and wn (weight
    /// normalization lives in the linear layers).</summary>
    public static nn.Module<Tensor, Tensor> Create(string name, int features, NormalizerOptions options, string layerName)
    {
        Validate(name);
        return name switch
        {
            "none" or "wn" => nn.Identity(),
            "bn" => new BatchNormalization(layerName, features, options),
            "ln" => nn.LayerNorm(features, options.LayerNormEpsilon),
            "rn" => new RegularityNormalization(layerName, features, options),
            "rln" => new RegularityNormalization(layerName, features, options, perUnit: true),
            "rnr" => new RegularityNormalization(layerName, features, options, acceptsPrior: true),
            "probe" => new RegularityNormalization(layerName, features, options, probe: true),
            _ => new LayerThenRegularity(layerName, features, options),
        };
    }
}
