namespace RLRegularity.Agents.Common;

/// <summary>Thrown when training produces a non-finite loss; the run stops and keeps its last good checkpoint.</summary>
public sealed class TrainingDivergedException(string message) : ArithmeticException(message);
