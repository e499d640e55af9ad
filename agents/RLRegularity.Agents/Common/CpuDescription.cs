using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;
using System.Text.Json.Nodes;

namespace RLRegularity.Agents.Common;

/// <summary>
/// The processor a run ran on, as far as it decides the run's floating-point results: its model, and the vector
/// instructions .NET uses (TensorPrimitives' reductions and exponentials take 512-, 256- or 128-bit paths, whose
/// summation order and rounding differ) — libtorch's MKL likewise picks its matrix kernels by processor. Runs are
/// bit for bit repeatable on one kind of processor; on another they differ run by run (config.json records this
/// so a result can say where it was made).
/// </summary>
public static class CpuDescription
{
    /// <summary>The description for config.json's <c>machine.cpu</c>.</summary>
    public static JsonObject Describe()
    {
        (string? model, string? family, string? modelNumber) = ReadCpuInfo();
        return new JsonObject
        {
            ["model_name"] = model,
            ["family"] = family,
            ["model"] = modelNumber,
            ["vector_bits"] = Vector512.IsHardwareAccelerated ? 512 : Vector256.IsHardwareAccelerated ? 256 : Vector128.IsHardwareAccelerated ? 128 : 0,
            ["avx2"] = Avx2.IsSupported,
            ["avx512f"] = Avx512F.IsSupported,
            ["fma"] = Fma.IsSupported,
        };
    }

    // /proc/cpuinfo's first processor (Linux); nulls elsewhere.
    private static (string? Model, string? Family, string? ModelNumber) ReadCpuInfo()
    {
        const string path = "/proc/cpuinfo";
        if (!File.Exists(path)) return (null, null, null);
        string? model = null, family = null, number = null;
        try
        {
            foreach (string line in File.ReadLines(path))
            {
                if (line.Length == 0) break; // the end of the first processor's block
                int colon = line.IndexOf(':');
                if (colon < 0) continue;
                string key = line[..colon].Trim(), value = line[(colon + 1)..].Trim();
                switch (key)
                {
                    case "model name": model = value; break;
                    case "cpu family": family = value; break;
                    case "model": number = value; break;
                }
            }
        }
        catch (IOException)
        {
            return (null, null, null);
        }
        return (model, family, number);
    }
}
