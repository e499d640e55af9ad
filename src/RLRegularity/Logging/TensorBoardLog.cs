using TorchSharp;

namespace RLRegularity.Logging;

/// <summary>Scalars for TensorBoard, written with TorchSharp's <c>SummaryWriter</c> (event files in the run folder; the
/// writer appends each event as it is added, so there is nothing to close).</summary>
public sealed class TensorBoardLog
{
    private readonly TorchSharp.Modules.SummaryWriter _writer;

    /// <summary>Writes event files into <paramref name="directory"/>.</summary>
    public TensorBoardLog(string directory) => _writer = torch.utils.tensorboard.SummaryWriter(directory, createRunName: false);

    /// <summary>Adds one scalar; non-finite values are skipped (TensorBoard cannot plot them).</summary>
    public void Scalar(string tag, double value, long step)
    {
        if (double.IsFinite(value)) _writer.add_scalar(tag, (float)value, (int)Math.Min(step, int.MaxValue));
    }
}
