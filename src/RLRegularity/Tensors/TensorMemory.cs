using TensorPrimitives = System.Numerics.Tensors.TensorPrimitives;
using System.Runtime.InteropServices;
using TorchSharp;
using static TorchSharp.torch;

namespace RLRegularity.Tensors;

/// <summary>
/// Direct views of a contiguous CPU tensor's memory. TorchSharp's element accessor costs about a microsecond per element
/// (and ToArray goes element by element); a span over the storage is a plain memory access.
/// </summary>
public static class TensorMemory
{
    /// <summary>A span over <paramref name="t"/>'s elements; valid while the tensor lives and is not resized.</summary>
    public static Span<T> Span<T>(Tensor t) where T : unmanaged
    {
        if (t.device_type != DeviceType.CPU) throw new ArgumentException("only CPU tensors can be viewed directly");
        if (!t.is_contiguous()) throw new ArgumentException("only contiguous tensors can be viewed directly");
        // Tensor.bytes is a span over the tensor's own storage (not a copy).
        return MemoryMarshal.Cast<byte, T>(t.bytes);
    }

    /// <summary>
    /// A new [rows, cols] tensor of <paramref name="dtype"/> (float32 or float64) holding a copy of the first rows·cols
    /// <paramref name="values"/>: the caller may reuse the array at once (the tensor never shares it).
    /// </summary>
    public static Tensor FromDoubles(double[] values, int rows, int cols, ScalarType dtype)
    {
        if (dtype is not (ScalarType.Float64 or ScalarType.Float32)) throw new ArgumentException($"RN layers compute in float32 or float64, not {dtype}");
        Tensor result = empty([rows, cols], dtype: dtype);
        ReadOnlySpan<double> source = values.AsSpan(0, rows * cols);
        if (dtype == ScalarType.Float64) source.CopyTo(Span<double>(result));
        else TensorPrimitives.ConvertTruncating<double, float>(source, Span<float>(result));
        return result;
    }

    /// <summary>Copies a float32 or float64 tensor's values (row-major) into <paramref name="destination"/> as doubles.</summary>
    public static void CopyToDoubles(Tensor t, Span<double> destination)
    {
        if (t.numel() != destination.Length) throw new ArgumentException($"the tensor has {t.numel()} values, the destination {destination.Length}");
        using Tensor c = t.is_contiguous() ? t.alias() : t.contiguous();
        if (c.dtype == ScalarType.Float64)
        {
            Span<double>(c).CopyTo(destination);
        }
        else if (c.dtype == ScalarType.Float32)
        {
            TensorPrimitives.ConvertTruncating<float, double>(Span<float>(c), destination);
        }
        else
        {
            using Tensor d = c.to(ScalarType.Float64);
            Span<double>(d).CopyTo(destination);
        }
    }

    /// <summary>The values of a float32 or float64 tensor as doubles, row-major.</summary>
    public static double[] ToDoubles(Tensor t)
    {
        var result = GC.AllocateUninitializedArray<double>(checked((int)t.numel()));
        CopyToDoubles(t, result);
        return result;
    }
}
