using TorchSharp;
using static TorchSharp.torch;

namespace RLRegularity.Normalization;

/// <summary>
/// "RN+LN" (SPEC §3.2): LayerNorm (learnable affine, initialised to (1, 0)) then scalar RN, the order behind the paper's
/// DQN numbers; <see cref="NormalizerOptions.RnThenLn"/> gives the RN→LN reproduction order (near no-op with scalar RN).
/// </summary>
public sealed class LayerThenRegularity : nn.Module<Tensor, Tensor>, IRegularityLayer
{
    private readonly TorchSharp.Modules.LayerNorm ln;
    private readonly RegularityNormalization rn;
    private readonly bool _rnFirst;

    /// <summary>Creates the pair for <paramref name="features"/> units.</summary>
    public LayerThenRegularity(string name, int features, NormalizerOptions options) : base(name)
    {
        ln = nn.LayerNorm(features, options.LayerNormEpsilon);
        rn = new RegularityNormalization(name, features, options);
        _rnFirst = options.RnThenLn;
        RegisterComponents();
    }

    public override Tensor forward(Tensor x) => _rnFirst ? ln.forward(rn.forward(x)) : rn.forward(ln.forward(x));

    /// <summary>The LayerNorm half (learnable affine).</summary>
    public TorchSharp.Modules.LayerNorm LayerNorm => ln;

    /// <summary>The RN half.</summary>
    public RegularityNormalization Regularity => rn;

    /// <summary>True when RN runs before LayerNorm (<see cref="NormalizerOptions.RnThenLn"/>).</summary>
    public bool RegularityFirst => _rnFirst;

    public string LayerName => rn.LayerName;
    public RegularityMode ModeOverride { get => rn.ModeOverride; set => rn.ModeOverride = value; }
    public void SetPrior(Tensor? prior) => rn.SetPrior(prior);
    public RegularitySnapshot Snapshot() => rn.Snapshot();
    public void ResetState() => rn.ResetState();
}
