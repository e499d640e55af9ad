using RLRegularity.Envs.Rendering;
using SixLabors.ImageSharp;
using SixLabors.ImageSharp.Formats.Gif;
using SixLabors.ImageSharp.PixelFormats;

namespace RLRegularity.Cli;

/// <summary>An episode recorded frame by frame and written as a looping animated GIF at the environment's frame rate.</summary>
internal sealed class GifRecording(int framesPerSecond) : IDisposable
{
    private Image<Rgb24>? _animation;

    /// <summary>Frames added so far.</summary>
    public int Frames { get; private set; }

    /// <summary>Appends a frame; every frame must have the first one's size.</summary>
    public void Add(RgbImage frame)
    {
        var image = Image.LoadPixelData<Rgb24>(frame.Pixels, frame.Width, frame.Height);
        // GIF counts delays in hundredths of a second.
        image.Frames.RootFrame.Metadata.GetGifMetadata().FrameDelay = Math.Max(1, (int)Math.Round(100.0 / framesPerSecond));
        if (_animation is null)
        {
            _animation = image;
            _animation.Metadata.GetGifMetadata().RepeatCount = 0;
        }
        else
        {
            if (image.Width != _animation.Width || image.Height != _animation.Height)
                throw new InvalidOperationException($"frame {Frames + 1} is {image.Width}x{image.Height}, the recording {_animation.Width}x{_animation.Height}");
            _animation.Frames.AddFrame(image.Frames.RootFrame);
            image.Dispose();
        }
        Frames++;
    }

    /// <summary>Writes the GIF to <paramref name="path"/>, each frame with its own colour table: ImageSharp 2.1's global
    /// table maps the first frame's colours wrongly once an animation has a few dozen frames (CartPole's white
    /// background came out in the pole's colour), and the frames here have so few colours that local tables are exact.</summary>
    public void Save(string path)
    {
        if (_animation is null) throw new InvalidOperationException("no frame was recorded");
        _animation.SaveAsGif(path, new GifEncoder { ColorTableMode = GifColorTableMode.Local });
    }

    public void Dispose() => _animation?.Dispose();
}
