using TorchSharp;
using static TorchSharp.torch;

namespace RLRegularity.Networks;

/// <summary>An observation encoder followed by an <see cref="Mlp"/> head (a Q-network over grid images, for instance).</summary>
public sealed class EncodedMlp : nn.Module<Tensor, Tensor>
{
    private readonly nn.Module<Tensor, Tensor> encoder;
    private readonly Mlp head;

    /// <summary>Chains <paramref name="encoder"/> into <paramref name="head"/>; the head's input size must be the encoder's output size.</summary>
    public EncodedMlp(nn.Module<Tensor, Tensor> encoder, Mlp head) : base("encoded_mlp")
    {
        this.encoder = encoder ?? throw new ArgumentNullException(nameof(encoder));
        this.head = head ?? throw new ArgumentNullException(nameof(head));
        RegisterComponents();
    }

    /// <summary>The encoder.</summary>
    public nn.Module<Tensor, Tensor> Encoder => encoder;

    /// <summary>The MLP on the encoder's features.</summary>
    public Mlp Head => head;

    public override Tensor forward(Tensor observations) => head.forward(encoder.forward(observations));
}
