using TorchSharp;
using static TorchSharp.torch;

namespace RLRegularity.Normalization;

/// <summary>
/// The normalizers: one descriptor each (<see cref="All"/>), names parsed once at the edge (<see cref="Parse"/>), and
/// the module a network puts after its linear layers (<see cref="Create"/>). Everything else works with
/// <see cref="NormalizerKind"/> and the descriptor, never with names.
/// </summary>
public static class Normalizers
{
    /// <summary>Every normalizer, in the order help texts list them.</summary>
    public static IReadOnlyList<NormalizerDescriptor> All { get; } =
    [
        new(NormalizerKind.None, "none", "no normalization", false, false, false, false, true),
        new(NormalizerKind.BN, "bn", "batch normalization", false, false, true, false, false),
        new(NormalizerKind.LN, "ln", "layer normalization", false, false, true, false, true),
        new(NormalizerKind.WN, "wn", "weight normalization of the linear layers", false, false, false, false, false),
        new(NormalizerKind.RN, "rn", "Regularity Normalization, one code length per layer", true, false, true, true, true),
        new(NormalizerKind.RLN, "rln", "Regularity Normalization, one code length per unit", true, false, true, true, true),
        new(NormalizerKind.RNLN, "rnln", "layer normalization, then RN", true, false, true, false, true),
        new(NormalizerKind.RNR, "rnr", "RN with the reward prior", true, true, true, true, true),
        new(NormalizerKind.Probe, "probe", "RN's state machine with identity output (measures, does not scale)", true, false, true, true, true),
    ];

    /// <summary>Every valid name, in <see cref="All"/>'s order.</summary>
    public static IReadOnlyList<string> Names { get; } = [.. All.Select(d => d.Name)];

    /// <summary>What a comparison compares when it is not told: no normalization, LayerNorm, RN and RN with the reward prior.</summary>
    public static IReadOnlyList<string> DefaultComparison { get; } = [.. new[] { NormalizerKind.None, NormalizerKind.LN, NormalizerKind.RN, NormalizerKind.RNR }.Select(Name)];

    /// <summary>The descriptor of <paramref name="kind"/>.</summary>
    public static NormalizerDescriptor Describe(NormalizerKind kind) => All[(int)kind];

    /// <summary>The name of <paramref name="kind"/>.</summary>
    public static string Name(NormalizerKind kind) => Describe(kind).Name;

    /// <summary>The normalizer named <paramref name="name"/> (any case); an unknown name is an <see cref="ArgumentException"/>
    /// listing the valid ones.</summary>
    public static NormalizerKind Parse(string name) =>
        All.FirstOrDefault(d => string.Equals(d.Name, name, StringComparison.OrdinalIgnoreCase))?.Kind
        ?? throw new ArgumentException($"unknown normalizer '{name}'. Valid: {string.Join(", ", Names)}");

    /// <summary>The hidden-layer normalizer module for <paramref name="features"/> units; identity for none and wn (weight
    /// normalization lives in the linear layers).</summary>
    public static nn.Module<Tensor, Tensor> Create(NormalizerKind kind, int features, NormalizerOptions options, string layerName) => kind switch
    {
        NormalizerKind.None or NormalizerKind.WN => nn.Identity(),
        NormalizerKind.BN => new BatchNormalization(layerName, features, options),
        NormalizerKind.LN => nn.LayerNorm(features, options.LayerNormEpsilon),
        NormalizerKind.RN => new RegularityNormalization(layerName, features, options),
        NormalizerKind.RLN => new RegularityNormalization(layerName, features, options, perUnit: true),
        NormalizerKind.RNR => new RegularityNormalization(layerName, features, options, acceptsPrior: true),
        NormalizerKind.Probe => new RegularityNormalization(layerName, features, options, probe: true),
        NormalizerKind.RNLN => new LayerThenRegularity(layerName, features, options),
        _ => throw new ArgumentOutOfRangeException(nameof(kind), kind, "not a normalizer"),
    };
}
