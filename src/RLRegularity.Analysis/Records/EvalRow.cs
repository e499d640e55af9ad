namespace RLRegularity.Records;

/// <summary>A row of evals.csv: one evaluation of the greedy policy on a separate environment copy during training.</summary>
/// <param name="GlobalStep">The training step at which the policy was evaluated.</param>
/// <param name="Evaluation">The evaluation's number, from 1.</param>
/// <param name="MeanReturn">The mean return of its episodes.</param>
/// <param name="StdReturn">Their population standard deviation.</param>
/// <param name="MeanLength">Their mean length in steps.</param>
/// <param name="Episodes">How many episodes it ran.</param>
public sealed record EvalRow(long GlobalStep, long Evaluation, double MeanReturn, double StdReturn, double MeanLength, int Episodes);
