using RLRegularity.Tensors;

using static TorchSharp.torch;
using TensorPrimitives = System.Numerics.Tensors.TensorPrimitives;

namespace RLRegularity.Normalization;

/// <summary>
/// y = scale ⊙ x of an RN call: with the full gradient through the code length, one <see cref="RegularityScaleNode"/>;
/// with the stop-gradient option, libtorch's x * scale (a constant); without a graph, a SIMD pass into a new tensor.
/// </summary>
internal static class RegularityFunction
{
    /// <summary>The call's output for <paramref name="x"/>; with <paramref name="stopGradient"/> the scale is a constant.</summary>
    public static Tensor Apply(Tensor x, RegularityComputation c, bool stopGradient)
    {
        if (!c.Scales) return x.alias();
        if (x.dtype is not (ScalarType.Float32 or ScalarType.Float64))
            throw new ArgumentException($"RN layers compute in float32 or float64, not {x.dtype}");
        if (!x.requires_grad && x.is_contiguous())
        {
            // No graph to record (acting, target networks, rollouts): one allocation and a SIMD pass instead of a
            // libtorch op, whose dispatch costs several times more than the arithmetic at these sizes.
            return x.dtype == ScalarType.Float32 ? ScaledCopy<float>(x, c) : ScaledCopy<double>(x, c);
        }
        if (x.requires_grad && !stopGradient)
        {
            if (x.is_contiguous()) return RegularityScaleNode.Apply(x, c);
            using Tensor contiguous = x.contiguous();
            return RegularityScaleNode.Apply(contiguous, c);
        }
        if (c.RowScale is not null)
        {
            using Tensor rows = TensorMemory.FromDoubles(c.RowScale, c.Rows, 1, x.dtype);
            return x * rows;
        }
        if (c.PerUnit)
        {
            using Tensor units = TensorMemory.FromDoubles(c.Lengths, 1, c.Cols, x.dtype);
            return x * units;
        }
        return x * c.Lengths[0];
    }

    private static Tensor ScaledCopy<T>(Tensor x, RegularityComputation c) where T : unmanaged, System.Numerics.IFloatingPointIeee754<T>
    {
        Tensor y = empty_like(x);
        Scale<T>(TensorMemory.Span<T>(x), TensorMemory.Span<T>(y), c);
        return y;
    }

    /// <summary>
    /// destination = scale ⊙ source for a call on [c.Rows, c.Cols] activations, in T's arithmetic (the scale rounded to T
    /// first, as libtorch's x * l does); source and destination may be the same span. Nothing is written when the call
    /// does not scale.
    /// </summary>
    public static void Scale<T>(ReadOnlySpan<T> source, Span<T> destination, RegularityComputation c) where T : unmanaged, System.Numerics.IFloatingPointIeee754<T>
    {
        if (!c.Scales)
        {
            source.CopyTo(destination);
            return;
        }
        int cols = c.Cols;
        if (c.RowScale is not null)
        {
            for (int r = 0; r < c.Rows; r++)
                TensorPrimitives.Multiply(source.Slice(r * cols, cols), T.CreateTruncating(c.RowScale[r]), destination.Slice(r * cols, cols));
        }
        else if (c.PerUnit)
        {
            Span<T> units = cols <= 512 ? stackalloc T[cols] : new T[cols];
            for (int u = 0; u < cols; u++) units[u] = T.CreateTruncating(c.Lengths[u]);
            for (int r = 0; r < c.Rows; r++) TensorPrimitives.Multiply(source.Slice(r * cols, cols), units, destination.Slice(r * cols, cols));
        }
        else
        {
            TensorPrimitives.Multiply(source, T.CreateTruncating(c.Lengths[0]), destination);
        }
    }
}
