namespace RLRegularity.Agents.Comparison;

/// <summary>Where one cell of a study stands, from its own files and, for a submitted study, Slurm's queue.</summary>
/// <param name="Cell">The cell.</param>
/// <param name="State">Done, running, pending or failed.</param>
/// <param name="SlurmTask">The array task that runs or ran it (<c>123_4</c>), or null.</param>
/// <param name="Detail">Why it failed, or where its log is; empty otherwise.</param>
public sealed record CellStatus(StudyCell Cell, CellProgress State, string? SlurmTask, string Detail);
