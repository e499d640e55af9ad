using System.Diagnostics;
using RLRegularity.Envs.Rendering;

namespace RLRegularity.Cli;

/// <summary>
/// An episode streamed frame by frame into ffmpeg and written as an H.264 MP4 (yuv420p, playable everywhere) at the
/// environment's frame rate. ffmpeg is the machine's own (Debian: <c>apt-get install ffmpeg</c>); without it
/// <see cref="Start"/> refuses with that advice before any episode runs.
/// </summary>
internal sealed class Mp4Recording : IDisposable
{
    private readonly string _path;
    private readonly string _partial;
    private readonly int _framesPerSecond;
    private Process? _ffmpeg;
    private (int Width, int Height) _size;
    private readonly System.Text.StringBuilder _log = new();

    private Mp4Recording(string path, int framesPerSecond)
    {
        _path = path;
        _partial = path + ".partial";
        _framesPerSecond = framesPerSecond;
    }

    /// <summary>Frames added so far.</summary>
    public int Frames { get; private set; }

    /// <summary>The ffmpeg on <paramref name="searchPath"/> (default: PATH), or null.</summary>
    public static string? FindFfmpeg(string? searchPath = null) =>
        (searchPath ?? Environment.GetEnvironmentVariable("PATH") ?? "").Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries)
            .Select(dir => Path.Combine(dir, "ffmpeg")).FirstOrDefault(File.Exists);

    /// <summary>A recording into <paramref name="path"/>; a usage error when ffmpeg is not on <paramref name="searchPath"/> (default: PATH).</summary>
    public static Mp4Recording Start(string path, int framesPerSecond, string? searchPath = null)
    {
        if (FindFfmpeg(searchPath) is null)
            throw new CliUsageException("--mp4 needs ffmpeg on PATH, which this machine lacks (Debian/Ubuntu: apt-get install ffmpeg); --gif needs nothing");
        return new Mp4Recording(path, framesPerSecond);
    }

    /// <summary>Appends a frame; every frame must have the first one's size.</summary>
    public void Add(RgbImage frame)
    {
        if (_ffmpeg is null)
        {
            _size = (frame.Width, frame.Height);
            // Raw RGB frames in on stdin; H.264 needs even sides, so odd ones get one black row or column.
            var info = new ProcessStartInfo(FindFfmpeg()!)
            {
                RedirectStandardInput = true,
                RedirectStandardError = true,
                RedirectStandardOutput = true,
                UseShellExecute = false,
            };
            foreach (string a in new[]
                     {
                         "-hide_banner", "-loglevel", "error", "-y", "-f", "rawvideo", "-pix_fmt", "rgb24", "-s", $"{frame.Width}x{frame.Height}",
                         "-r", _framesPerSecond.ToString(System.Globalization.CultureInfo.InvariantCulture), "-i", "-",
                         "-vf", "pad=ceil(iw/2)*2:ceil(ih/2)*2", "-c:v", "libx264", "-pix_fmt", "yuv420p", "-movflags", "+faststart", "-f", "mp4", _partial,
                     })
                info.ArgumentList.Add(a);
            _ffmpeg = Process.Start(info) ?? throw new IOException("ffmpeg did not start");
            _ffmpeg.ErrorDataReceived += (_, e) => { if (e.Data is not null) lock (_log) _log.AppendLine(e.Data); };
            _ffmpeg.BeginErrorReadLine();
            _ffmpeg.OutputDataReceived += (_, _) => { };
            _ffmpeg.BeginOutputReadLine();
        }
        else if ((frame.Width, frame.Height) != _size)
        {
            throw new InvalidOperationException($"frame {Frames + 1} is {frame.Width}x{frame.Height}, the recording {_size.Width}x{_size.Height}");
        }
        try
        {
            _ffmpeg.StandardInput.BaseStream.Write(frame.Pixels);
        }
        catch (IOException e)
        {
            throw new IOException($"ffmpeg stopped taking frames: {Failure()}", e);
        }
        Frames++;
    }

    /// <summary>Finishes the video and moves it into place; ffmpeg's own message if it failed.</summary>
    public void Save()
    {
        if (_ffmpeg is null) throw new InvalidOperationException("no frame was recorded");
        _ffmpeg.StandardInput.Close();
        _ffmpeg.WaitForExit();
        if (_ffmpeg.ExitCode != 0) throw new IOException($"ffmpeg failed (exit {_ffmpeg.ExitCode}): {Failure()}");
        File.Move(_partial, _path, overwrite: true);
    }

    private string Failure()
    {
        lock (_log) return _log.Length > 0 ? _log.ToString().Trim() : "no message";
    }

    public void Dispose()
    {
        if (_ffmpeg is { HasExited: false })
        {
            try { _ffmpeg.Kill(); } catch (InvalidOperationException) { }
            _ffmpeg.WaitForExit();
        }
        _ffmpeg?.Dispose();
        if (File.Exists(_partial)) File.Delete(_partial);
    }
}
