using RLRegularity.Normalization;

namespace RLRegularity.Networks;

/// <summary>The shape of a multilayer perceptron and where its normalizers sit (SPEC §6.1, §6.3).</summary>
/// <param name="InputSize">Input features.</param>
/// <param name="HiddenSizes">Widths of the hidden layers.</param>
/// <param name="OutputSize">Output units.</param>
/// <param name="Activation">Hidden activation.</param>
/// <param name="Normalizer">The hidden-layer normalizer.</param>
/// <param name="Options">Normalizer options.</param>
/// <param name="NormalizeInput">Also normalize the raw input (RN family, LN, BN); off in the paper.</param>
/// <param name="NormalizeOutput">Also apply an RN-family normalizer to the output (reproduces ACModelRN, SPEC §6.2); never LN or BN.</param>
public sealed record MlpSpec(int InputSize, IReadOnlyList<int> HiddenSizes, int OutputSize, Activation Activation, NormalizerKind Normalizer,
    NormalizerOptions Options, bool NormalizeInput = false, bool NormalizeOutput = false);
