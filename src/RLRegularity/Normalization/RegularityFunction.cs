using static TorchSharp.torch;
using TensorPrimitives = System.Numerics.Tensors.TensorPrimitives;

namespace RLRegularity.Normalization;

/// <summary>
/// y = scale ⊙ x of an RN call, recorded in the autograd graph with the gradient of <see cref="RegularityComputation"/>:
/// the scale is l + J·(x − stop_gradient(x)), whose value is exactly l and whose slope is ∂l/∂x computed in C#.
/// A handful of native ops instead of the ~35 small ops (and backward nodes) of the op-by-op formula, and no managed
/// autograd callback.
/// </summary>
internal static class RegularityFunction
{
    /// <summary>The call's output for <paramref name="x"/>; with <paramref name="stopGradient"/> the scale is a constant.</summary>
    public static Tensor Apply(Tensor x, RegularityComputation c, bool stopGradient)
    {
        if (!c.Scales) return x.alias();
        if (!x.requires_grad && x.device_type == TorchSharp.DeviceType.CPU && x.is_contiguous())
        {
            // No graph to record (acting, target networks, rollouts): one allocation and a SIMD pass instead of a
            // libtorch op, whose dispatch costs several times more than the arithmetic at these sizes.
            if (x.dtype == ScalarType.Float32) return ScaledCopy<float>(x, c);
            if (x.dtype == ScalarType.Float64) return ScaledCopy<double>(x, c);
        }
        using Tensor? slope = x.requires_grad && !stopGradient ? FirstOrderTerm(x, c) : null;
        if (c.RowScale is not null)
        {
            using Tensor rows = TensorMemory.FromDoubles(c.RowScale, c.Rows, 1, x.dtype);
            if (slope is null) return x * rows;
            using Tensor scale = rows + slope;
            return x * scale;
        }
        if (c.PerUnit)
        {
            using Tensor units = TensorMemory.FromDoubles(c.Lengths, 1, c.Cols, x.dtype);
            if (slope is null) return x * units;
            using Tensor scale = units + slope;
            return x * scale;
        }
        if (slope is null) return x * c.Lengths[0];
        using Tensor shifted = slope + c.Lengths[0];
        return x * shifted;
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

    // Σ_j ∂l_u/∂x_j (x_j − stop_gradient(x_j)): zero in value, ∂l/∂x in gradient. A scalar for scalar RN, [D] per unit.
    private static Tensor FirstOrderTerm(Tensor x, RegularityComputation c)
    {
        (double[] q, double[] ca, double[] cb) = c.LengthGradient();
        using Tensor detached = x.detach();
        using Tensor delta = x - detached;
        if (!c.PerUnit)
        {
            // ∂l/∂x_j = Q_j + CA + CB·x_j, one number per element.
            TensorPrimitives.MultiplyAdd(c.X, cb[0], q, q);
            TensorPrimitives.Add(q, ca[0], q);
            using Tensor jacobian = TensorMemory.FromDoubles(q, c.Rows, c.Cols, x.dtype);
            using Tensor weighted = delta * jacobian;
            return weighted.sum();
        }
        // ∂l_u/∂x_j = Q_j 1(j ∈ u) + CA_u + CB_u·x_j: a column sum plus two scalars shared by every unit.
        using Tensor own = TensorMemory.FromDoubles(q, c.Rows, c.Cols, x.dtype);
        using Tensor ownWeighted = own * delta;
        using Tensor perUnit = ownWeighted.sum(0L); // 0L: a literal 0 would bind to the ScalarType overload (Byte)
        using Tensor total = delta.sum();
        using Tensor xWeighted = detached * delta;
        using Tensor xTotal = xWeighted.sum();
        using Tensor caTensor = TensorMemory.FromDoubles(ca, 1, c.Cols, x.dtype);
        using Tensor cbTensor = TensorMemory.FromDoubles(cb, 1, c.Cols, x.dtype);
        using Tensor shared = caTensor * total;
        using Tensor sharedX = cbTensor * xTotal;
        using Tensor both = shared + sharedX;
        return both + perUnit;
    }
}
