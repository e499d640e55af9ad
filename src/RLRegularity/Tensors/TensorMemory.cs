using TensorPrimitives = System.Numerics.Tensors.TensorPrimitives;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using TorchSharp;
using static TorchSharp.torch;

namespace RLRegularity.Tensors;

/// <summary>
/// Direct views of a contiguous CPU tensor's memory. TorchSharp's element accessor costs about a microsecond per element
/// (and ToArray goes element by element); a span over the storage is a plain memory access.
/// </summary>
public static partial class TensorMemory
{
    /// <summary>A span over <paramref name="t"/>'s elements; valid while the tensor lives and is not resized.</summary>
    /// <remarks>
    /// The agents take these views several times per environment step (the host forwards' weights, RN's state
    /// buffers, Adam's moments), so the checks go straight to LibTorchSharp's accessors: TorchSharp's own
    /// <c>Tensor.bytes</c> makes about ten P/Invoke calls with GC transitions and error checks per view, which profiling
    /// found at 9% of a PPO run. These accessors only read the tensor's metadata, never block and never call back into
    /// .NET, so they are declared without a GC transition.
    /// </remarks>
    public static unsafe Span<T> Span<T>(Tensor t) where T : unmanaged
    {
        IntPtr handle = t.Handle; // throws for a disposed tensor
        if (Native.DeviceType(handle) != (int)DeviceType.CPU) throw new ArgumentException("only CPU tensors can be viewed directly");
        if (Native.IsContiguous(handle) == 0) throw new ArgumentException("only contiguous tensors can be viewed directly");
        long bytes = Native.Numel(handle) * Native.ElementSize(handle);
        if (bytes > int.MaxValue) throw new ArgumentException($"a tensor of {bytes} bytes is too large for a span");
        if (bytes % sizeof(T) != 0) throw new ArgumentException($"a tensor of {bytes} bytes is not a whole number of {typeof(T).Name} values");
        if (bytes == 0) return [];
        IntPtr data = Native.Data(handle);
        if (data == IntPtr.Zero) throw new InvalidOperationException("LibTorchSharp returned no data pointer for a non-empty tensor");
        return new Span<T>((void*)data, (int)(bytes / sizeof(T)));
    }

    // LibTorchSharp's tensor accessors (the ones TorchSharp's Tensor properties call), without the GC transition.
    private static partial class Native
    {
        [LibraryImport("LibTorchSharp", EntryPoint = "THSTensor_device_type"), SuppressGCTransition]
        internal static partial int DeviceType(IntPtr handle);

        [LibraryImport("LibTorchSharp", EntryPoint = "THSTensor_is_contiguous"), SuppressGCTransition]
        internal static partial byte IsContiguous(IntPtr handle);

        [LibraryImport("LibTorchSharp", EntryPoint = "THSTensor_numel"), SuppressGCTransition]
        internal static partial long Numel(IntPtr handle);

        [LibraryImport("LibTorchSharp", EntryPoint = "THSTensor_element_size"), SuppressGCTransition]
        internal static partial long ElementSize(IntPtr handle);

        [LibraryImport("LibTorchSharp", EntryPoint = "THSTensor_data"), SuppressGCTransition]
        internal static partial IntPtr Data(IntPtr handle);
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
