namespace RLRegularity.Agents.Comparison;

/// <summary>
/// How to start this same rlreg from another process: the host program (dotnet, absolute) and the arguments that come
/// before the verb (rlreg.dll, absolute). Workers and array tasks run exactly the binary that launched them.
/// </summary>
/// <param name="Program">The executable, e.g. /usr/share/dotnet/dotnet.</param>
/// <param name="Prefix">Arguments before the verb, e.g. the absolute path of rlreg.dll.</param>
public sealed record RlregProgram(string Program, string[] Prefix)
{
    /// <summary>The environment variable through which an executor tells <c>rlreg train</c> its name (recorded in config.json).</summary>
    public const string ExecutorVariable = "RLREG_EXECUTOR";
}
