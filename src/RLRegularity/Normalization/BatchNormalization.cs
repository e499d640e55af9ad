using TorchSharp;
using static TorchSharp.torch;

namespace RLRegularity.Normalization;

/// <summary>
/// Batch normalization over the batch axis (PyTorch's BatchNorm1d with affine parameters and running statistics).
/// A training-mode batch of one has no batch variance, which PyTorch rejects; it is normalized with the running
/// statistics instead, and they are not updated, so acting on single observations never fails or produces NaN.
/// </summary>
public sealed class BatchNormalization : nn.Module<Tensor, Tensor>
{
    private readonly TorchSharp.Modules.BatchNorm1d bn;

    /// <summary>Creates the layer for <paramref name="features"/> units.</summary>
    public BatchNormalization(string name, int features, NormalizerOptions options) : base(name)
    {
        bn = nn.BatchNorm1d(features, options.BatchNormEpsilon, options.BatchNormMomentum);
        RegisterComponents();
    }

    public override Tensor forward(Tensor x)
    {
        if (!training || x.shape[0] > 1) return bn.forward(x);
        bn.eval();
        try
        {
            return bn.forward(x);
        }
        finally
        {
            bn.train();
        }
    }
}
