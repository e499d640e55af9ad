namespace RLRegularity.TestSupport;

/// <summary>
/// Reference steps our ports cannot yet reproduce, and why. Gymnasium calls numpy's sin/cos, which on this machine's
/// AVX-512 CPU run Intel SVML kernels that differ from glibc's (what .NET calls) by 1–3 ULP on about half of all inputs.
/// On long balanced CartPole trajectories those last-bit differences grow past 1e-6. Until the bit-exact port of numpy's
/// kernels lands, such a case is checked exactly up to the step before it diverges.
/// </summary>
public static class KnownDivergences
{
    /// <summary>Case index in classic-sample.json → the number of leading steps that must match exactly.</summary>
    public static IReadOnlyDictionary<int, int> ClassicSample { get; } = new Dictionary<int, int>();

    /// <summary>How many steps of the case must match.</summary>
    public static int StepsToCheck(ClassicCase c) => ClassicSample.TryGetValue(c.Index, out int steps) ? steps : c.Steps.Length;
}
