using TensorPrimitives = System.Numerics.Tensors.TensorPrimitives;
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

    /// <summary>A new [rows, cols] tensor of <paramref name="dtype"/> (float32 or float64) holding <paramref name="values"/>.</summary>
    public static Tensor FromDoubles(double[] values, int rows, int cols, ScalarType dtype)
    {
        if (dtype == ScalarType.Float64) return tensor(values, [rows, cols]);
        if (dtype != ScalarType.Float32) throw new ArgumentException($"RN layers compute in float32 or float64, not {dtype}");
        Tensor result = empty([rows, cols], dtype: ScalarType.Float32);
        TensorPrimitives.ConvertTruncating<double, float>(values, Span<float>(result));
        return result;
    }

    /// <summary>The values of a float32 or float64 tensor as doubles, row-major.</summary>
    public static double[] ToDoubles(Tensor t)
    {
        using Tensor c = t.is_contiguous() ? t.alias() : t.contiguous();
        if (c.dtype == ScalarType.Float64) return Span<double>(c).ToArray();
        if (c.dtype == ScalarType.Float32)
        {
            Span<float> values = Span<float>(c);
            var result = GC.AllocateUninitializedArray<double>(values.Length);
            TensorPrimitives.ConvertTruncating<float, double>(values, result);
            return result;
        }
        using Tensor d = c.to(ScalarType.Float64);
        return Span<double>(d).ToArray();
    }
}
