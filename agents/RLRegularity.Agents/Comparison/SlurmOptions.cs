namespace RLRegularity.Agents.Comparison;

/// <summary>How a study is submitted to Slurm: the throttle and the site's own flags, written into the sbatch script.</summary>
/// <param name="Throttle">Array tasks of one array running at a time (<c>--array=...%P</c>).</param>
/// <param name="Partition">--partition, or null.</param>
/// <param name="Account">--account, or null.</param>
/// <param name="Qos">--qos, or null.</param>
/// <param name="Time">--time (a cell's time limit), or null for the partition's default.</param>
/// <param name="Mem">--mem, or null.</param>
/// <param name="CpusPerTask">--cpus-per-task, or null (then 1: a cell trains on one thread).</param>
/// <param name="Extra">Further sbatch flags, each written as given (e.g. <c>--constraint=avx2</c>).</param>
public sealed record SlurmOptions(int Throttle, string? Partition = null, string? Account = null, string? Qos = null, string? Time = null,
    string? Mem = null, int? CpusPerTask = null, IReadOnlyList<string>? Extra = null)
{
    /// <summary>Seconds before its time limit at which a cell is told (SIGUSR1) to checkpoint and requeue itself.</summary>
    public const int SignalLeadSeconds = 120;

    /// <summary>The <c>#SBATCH</c> flags of the cells, in a fixed order.</summary>
    public IEnumerable<string> Flags()
    {
        yield return $"--signal=B:USR1@{SignalLeadSeconds}";
        yield return "--requeue";
        yield return "--open-mode=append";
        yield return $"--cpus-per-task={CpusPerTask ?? 1}";
        if (Partition is not null) yield return $"--partition={Partition}";
        if (Account is not null) yield return $"--account={Account}";
        if (Qos is not null) yield return $"--qos={Qos}";
        if (Time is not null) yield return $"--time={Time}";
        if (Mem is not null) yield return $"--mem={Mem}";
        foreach (string e in Extra ?? []) yield return e;
    }
}
