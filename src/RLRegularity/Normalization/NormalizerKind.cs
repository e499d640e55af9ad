namespace RLRegularity.Normalization;

/// <summary>
/// The hidden-layer normalizers. Member names are the paper's abbreviations; config files, the command line and plots
/// write them in lower case (<c>none</c>, <c>bn</c>, <c>ln</c>, <c>wn</c>, <c>rn</c>, <c>rln</c>, <c>rnln</c>,
/// <c>rnr</c>, <c>probe</c>), and <see cref="Normalizers.Describe"/> says what each is.
/// </summary>
public enum NormalizerKind
{
    /// <summary>No normalization.</summary>
    None,
    /// <summary>Batch normalization.</summary>
    BN,
    /// <summary>Layer normalization.</summary>
    LN,
    /// <summary>Weight normalization of the linear layers.</summary>
    WN,
    /// <summary>Regularity Normalization with one scalar code length per layer.</summary>
    RN,
    /// <summary>Regularity Normalization with a code length per unit.</summary>
    RLN,
    /// <summary>Layer normalization, then RN.</summary>
    RNLN,
    /// <summary>RN with the reward prior.</summary>
    RNR,
    /// <summary>RN's state machine with identity output: it measures code lengths without scaling.</summary>
    Probe,
}
