using System.Runtime.InteropServices;
using TorchSharp;
using static TorchSharp.torch;

namespace RLRegularity.Normalization;

/// <summary>
/// Direct views of a contiguous CPU tensor's memory. TorchSharp's element accessor costs about a microsecond per element
/// (and ToArray goes element by element); a span over the storage is a plain memory access.
/// </summary>
internal static class TensorMemory
{
    /// <summary>A span over <paramref name="t"/>'s elements; valid while the tensor lives and is not resized.</summary>
    public static Span<T> Span<T>(Tensor t) where T : unmanaged
    {
        if (t.device_type != DeviceType.CPU) throw new ArgumentException("only CPU tensors can be viewed directly");
        if (!t.is_contiguous()) throw new ArgumentException("only contiguous tensors can be viewed directly");
        // Tensor.bytes is a span over the tensor's own storage (not a copy).
        return MemoryMarshal.Cast<byte, T>(t.bytes);
    }

    /// <summary>The values of a float32 or float64 tensor as doubles, row-major.</summary>
    public static double[] ToDoubles(Tensor t)
    {
        using Tensor c = t.is_contiguous() ? t.alias() : t.contiguous();
        if (c.dtype == ScalarType.Float64) return Span<double>(c).ToArray();
        if (c.dtype == ScalarType.Float32)
        {
            Span<float> values = Span<float>(c);
            var result = new double[values.Length];
            for (int i = 0; i < values.Length; i++) result[i] = values[i];
            return result;
        }
        using Tensor d = c.to(ScalarType.Float64);
        return Span<double>(d).ToArray();
    }
}
