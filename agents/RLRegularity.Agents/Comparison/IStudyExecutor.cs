namespace RLRegularity.Agents.Comparison;

/// <summary>Runs a study's unfinished cells somewhere: on this machine (<see cref="LocalExecutor"/>) or as Slurm job arrays (<see cref="SlurmExecutor"/>).</summary>
public interface IStudyExecutor
{
    /// <summary>The name recorded in each cell's config.json (<c>executor.name</c>) and given to <c>--executor</c>.</summary>
    string Name { get; }

    /// <summary>
    /// Runs, or submits, every unfinished cell of <paramref name="manifest"/>. True when every cell is finished when it
    /// returns (a submitting executor returns false: the cells run later); false as well when cancelled.
    /// </summary>
    bool Execute(StudyManifest manifest, CancellationToken cancellation);
}
