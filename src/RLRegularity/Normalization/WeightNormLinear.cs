using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace RLRegularity.Normalization;

/// <summary>
/// A linear layer with weight normalization (Salimans and Kingma, 2016): w = g · v / ‖v‖ per output row, g initialised
/// to ‖v‖ so the initial function equals PyTorch's default-initialised Linear (PyTorch's weight_norm with dim = 0).
/// </summary>
public sealed class WeightNormLinear : nn.Module<Tensor, Tensor>
{
    private readonly Parameter weight_v;
    private readonly Parameter weight_g;
    private readonly Parameter bias;

    /// <summary>Creates the layer; the direction starts as a default-initialised Linear's weight.</summary>
    public WeightNormLinear(string name, int inputSize, int outputSize) : base(name)
    {
        using var template = nn.Linear(inputSize, outputSize);
        using (no_grad())
        {
            weight_v = new Parameter(template.weight!.detach().clone());
            weight_g = new Parameter(template.weight!.detach().norm(1, keepdim: true).clone());
            bias = new Parameter(template.bias!.detach().clone());
        }
        InFeatures = inputSize;
        OutFeatures = outputSize;
        RegisterComponents();
    }

    /// <summary>Input features.</summary>
    public int InFeatures { get; }

    /// <summary>Output units.</summary>
    public int OutFeatures { get; }

    /// <summary>The effective weight g·v/‖v‖.</summary>
    public Tensor Weight() => weight_g * weight_v / weight_v.norm(1, keepdim: true);

    public override Tensor forward(Tensor x) => nn.functional.linear(x, Weight(), bias);
}
