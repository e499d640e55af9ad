using RLRegularity.Normalization;
using TorchSharp;
using static TorchSharp.torch;

namespace RLRegularity.Networks;

/// <summary>
/// A multilayer perceptron with a pluggable normalizer after each hidden linear layer and before its activation
/// (SPEC §6.1/§6.3): <c>fc1 → norm1 → act → fc2 → norm2 → act → … → fc_out</c>. The output layer is not normalized
/// (except RN-family layers with <see cref="MlpSpec.NormalizeOutput"/>, and never LayerNorm on a 1-unit output, SPEC §7
/// item 11). With <c>wn</c> every linear layer is weight-normalized. PyTorch's default initialisation.
/// </summary>
public sealed class Mlp : nn.Module<Tensor, Tensor>
{
    private readonly TorchSharp.Modules.Sequential layers;

    /// <summary>Builds the network described by <paramref name="spec"/>.</summary>
    public Mlp(MlpSpec spec) : base("mlp")
    {
        if (spec.InputSize <= 0 || spec.OutputSize <= 0 || spec.HiddenSizes.Any(h => h <= 0))
            throw new ArgumentException($"layer sizes must be positive: {spec.InputSize} → [{string.Join(", ", spec.HiddenSizes)}] → {spec.OutputSize}");
        Spec = spec;
        NormalizerDescriptor normalizer = Normalizers.Describe(spec.Normalizer);
        var modules = new List<(string, nn.Module<Tensor, Tensor>)>();
        bool weightNorm = spec.Normalizer == NormalizerKind.WN;
        if (spec.NormalizeInput && normalizer.AddsLayer)
            modules.Add(("input_norm", Normalizers.Create(spec.Normalizer, spec.InputSize, spec.Options, "input." + normalizer.Name)));
        int width = spec.InputSize;
        for (int i = 0; i < spec.HiddenSizes.Count; i++)
        {
            string fc = $"fc{i + 1}";
            int next = spec.HiddenSizes[i];
            modules.Add((fc, Linear(fc, width, next, weightNorm)));
            if (normalizer.AddsLayer)
                modules.Add(($"norm{i + 1}", Normalizers.Create(spec.Normalizer, next, spec.Options, $"{fc}.{normalizer.Name}")));
            modules.Add(($"act{i + 1}", spec.Activation == Activation.ReLU ? nn.ReLU() : nn.Tanh()));
            width = next;
        }
        string output = $"fc{spec.HiddenSizes.Count + 1}";
        modules.Add((output, Linear(output, width, spec.OutputSize, weightNorm)));
        if (spec.NormalizeOutput && normalizer.NormalizesOutputs)
            modules.Add(("output_norm", Normalizers.Create(spec.Normalizer, spec.OutputSize, spec.Options, $"{output}.{normalizer.Name}")));
        layers = nn.Sequential(modules);
        RegisterComponents();
        if (spec.Options.DType != ScalarType.Float32) this.to(spec.Options.DType);
    }

    /// <summary>The network's description.</summary>
    public MlpSpec Spec { get; }

    private static nn.Module<Tensor, Tensor> Linear(string name, int input, int output, bool weightNorm) =>
        weightNorm ? new WeightNormLinear(name, input, output) : nn.Linear(input, output);

    /// <summary>The layers in order (linear, normalizer, activation, …), as <see cref="HostMlp"/> walks them.</summary>
    public IReadOnlyList<nn.Module> Layers => [.. layers.children()];

    public override Tensor forward(Tensor x) => layers.forward(x);

    /// <summary>
    /// The forward of <paramref name="x"/> up to the last hidden layer, returning each hidden layer's output after its
    /// activation function, named after its linear layer (fc1, fc2, ...). It runs the layers in their current modes,
    /// so it updates normalizer state as <see cref="forward"/> would; call it on a copy to leave a network untouched.
    /// </summary>
    public IReadOnlyList<(string Layer, Tensor Activations)> HiddenActivations(Tensor x)
    {
        var outputs = new List<(string, Tensor)>(Spec.HiddenSizes.Count);
        foreach ((string name, nn.Module module) in layers.named_children())
        {
            if (outputs.Count == Spec.HiddenSizes.Count) break;
            x = ((nn.Module<Tensor, Tensor>)module).forward(x);
            if (name.StartsWith("act", StringComparison.Ordinal)) outputs.Add(("fc" + name[3..], x));
        }
        return outputs;
    }

    /// <summary>The incoming linear layer of each hidden layer (fc1, fc2, ...), as <see cref="HiddenActivations"/> names them.</summary>
    public IReadOnlyList<(string Layer, nn.Module Linear)> HiddenLinears() =>
        [.. layers.named_children().Where(c => c.name.StartsWith("fc", StringComparison.Ordinal)).Take(Spec.HiddenSizes.Count)];

    /// <summary>Every linear layer in order, the hidden ones (fc1, fc2, ...) and the output layer last.</summary>
    public IReadOnlyList<(string Layer, nn.Module Linear)> Linears() =>
        [.. layers.named_children().Where(c => c.name.StartsWith("fc", StringComparison.Ordinal))];
}
