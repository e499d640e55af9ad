using TorchSharp;

namespace RLRegularity;

/// <summary>Process-wide TorchSharp settings: thread count, seeding, and a clear error when the natives cannot load.</summary>
public static class TorchRuntime
{
    /// <summary>
    /// Loads libtorch (once) and sets the intra-op thread count. Training processes use one thread by default so that
    /// several can share the machine and a run is a function of its seed.
    /// </summary>
    public static void Initialize(int threads = 1)
    {
        if (threads <= 0) throw new ArgumentOutOfRangeException(nameof(threads), threads, "the thread count must be positive");
        try
        {
            torch.InitializeDeviceType(DeviceType.CPU);
            torch.set_num_threads(threads);
        }
        catch (Exception e) when (e is DllNotFoundException or NotSupportedException or TypeInitializationException)
        {
            throw new InvalidOperationException(
                "TorchSharp's native library could not be loaded. On Debian 12 the build marks libLibTorchSharp.so's " +
                "GLIBCXX_3.4.32 need as weak; build with 'dotnet build' (not a copy of another machine's output) and see " +
                "README.md, 'Platform notes'. Cause: " + e.Message, e);
        }
    }

    private static readonly object SeedGate = new();

    /// <summary>Seeds libtorch's global generator (network initialisation, dropout, sampling on the torch side).</summary>
    public static void Seed(long seed) => torch.manual_seed(seed);

    /// <summary>
    /// Seeds libtorch's global generator and runs <paramref name="build"/> (network construction) atomically, so networks
    /// built on several threads at once still get the initial weights their seed defines.
    /// </summary>
    public static T Seeded<T>(long seed, Func<T> build)
    {
        lock (SeedGate)
        {
            torch.manual_seed(seed);
            return build();
        }
    }
}
