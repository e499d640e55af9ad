using Google.Protobuf;
using Tensorboard;
using TorchSharp;

namespace RLRegularity.Logging;

/// <summary>Scalars for TensorBoard, written with TorchSharp's <c>SummaryWriter</c> (event files in the run folder; the
/// writer appends each event as it is added, so there is nothing to close).</summary>
public sealed class TensorBoardLog
{
    private readonly TorchSharp.Modules.SummaryWriter _writer;

    /// <summary>
    /// Writes event files into <paramref name="directory"/>. A resumed run passes the step it resumes from as
    /// <paramref name="purgeFromStep"/>: a <c>SessionLog.START</c> event at that step goes first into an event file of
    /// its own, which sorts after the earlier files and before the new writer's, so TensorBoard drops the points the
    /// interrupted process wrote past its checkpoint instead of showing them twice (PyTorch's <c>purge_step</c>).
    /// </summary>
    public TensorBoardLog(string directory, long? purgeFromStep = null)
    {
        if (purgeFromStep is long step)
        {
            long ticks = WritePurgeEvent(directory, step);
            // TorchSharp names its file after DateTime.Now.Ticks: start it strictly later, so it sorts after ours.
            while (DateTime.Now.Ticks <= ticks) Thread.Yield();
        }
        _writer = torch.utils.tensorboard.SummaryWriter(directory, createRunName: false);
    }

    /// <summary>Adds one scalar; non-finite values are skipped (TensorBoard cannot plot them).</summary>
    public void Scalar(string tag, double value, long step)
    {
        if (double.IsFinite(value)) _writer.add_scalar(tag, (float)value, (int)Math.Min(step, int.MaxValue));
    }

    private static long WritePurgeEvent(string directory, long step)
    {
        Directory.CreateDirectory(directory);
        long ticks = DateTime.Now.Ticks;
        double wallTime = (DateTime.UtcNow - DateTime.UnixEpoch).TotalSeconds;
        // The same name pattern as TorchSharp's files (time in ticks, host, process), so that name order is time order.
        string path = Path.Combine(directory, $"events.out.tfevents.{ticks}.{Environment.MachineName}.{Environment.ProcessId}.0");
        using var stream = new FileStream(path, FileMode.CreateNew, FileAccess.Write);
        TfRecordFile.Write(stream, new Event { WallTime = wallTime, Step = step, FileVersion = "brain.Event:2" }.ToByteArray());
        TfRecordFile.Write(stream, new Event
        {
            WallTime = wallTime,
            Step = step,
            SessionLog = new SessionLog { Status = SessionLog.Types.SessionStatus.Start },
        }.ToByteArray());
        return ticks;
    }
}
