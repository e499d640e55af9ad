using static TorchSharp.torch;

namespace RLRegularity.Normalization;

/// <summary>
/// The autograd function of an RN call: y = scale ⊙ x forward, the analytic gradient of <see cref="RegularityComputation"/>
/// backward. Two native calls each way instead of the ~35 small ops (and their backward nodes) of the op-by-op graph.
/// </summary>
internal sealed class RegularityFunction : autograd.SingleTensorFunction<RegularityFunction>
{
    // The computation reaches forward through these rather than through apply's arguments, so x is the function's only
    // input and backward returns exactly one gradient (no null gradients for non-tensor arguments).
    [ThreadStatic] private static RegularityComputation? t_pending;
    [ThreadStatic] private static bool t_pendingStop;

    public override string Name => "RegularityNormalization";

    /// <summary>y = scale ⊙ x recorded in the autograd graph with the computation's analytic backward.</summary>
    public static Tensor Run(Tensor x, RegularityComputation computation, bool stopGradient)
    {
        t_pending = computation;
        t_pendingStop = stopGradient;
        try
        {
            return apply(x);
        }
        finally
        {
            t_pending = null;
        }
    }

    public override Tensor forward(autograd.AutogradContext ctx, params object[] vars)
    {
        var x = (Tensor)vars[0];
        RegularityComputation computation = t_pending ?? throw new InvalidOperationException("RegularityFunction must be called through Run");
        ctx.save_data("computation", computation);
        ctx.save_data("stop_gradient", t_pendingStop);
        return Apply(x, computation, copy: true);
    }

    public override List<Tensor> backward(autograd.AutogradContext ctx, Tensor gradOutput)
    {
        var computation = (RegularityComputation)ctx.get_data("computation");
        bool stop = (bool)ctx.get_data("stop_gradient");
        double[] g = RegularityNormalization.ToDoubles(gradOutput);
        double[] grad = computation.Backward(g, stop);
        return [tensor(grad, [computation.Rows, computation.Cols]).to(gradOutput.dtype)];
    }

    /// <summary>y = scale ⊙ x with the computation's scale (x itself, or a copy, when the call does not scale).</summary>
    public static Tensor Apply(Tensor x, RegularityComputation c, bool copy)
    {
        if (c.Scale is null) return copy ? x.clone() : x.alias();
        if (c.RowScale is not null) return x * tensor(c.RowScale, [c.Rows, 1]).to(x.dtype);
        if (c.PerUnit) return x * tensor(c.Lengths, [1, c.Cols]).to(x.dtype);
        return x * c.Lengths[0];
    }
}
