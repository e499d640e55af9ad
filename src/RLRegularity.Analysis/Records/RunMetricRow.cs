namespace RLRegularity.Records;

/// <summary>A row of a study's runs.csv (<c>rlreg export --format runs</c>): one metric of one run, with the command that reproduces the run.</summary>
/// <param name="Agent">The agent (dqn, ppo).</param>
/// <param name="Env">The environment id.</param>
/// <param name="Norm">The normalizer.</param>
/// <param name="Seed">The run's seed.</param>
/// <param name="Metric">The metric's name (final_return_ma50, auc, ...).</param>
/// <param name="Value">Its value; NaN where the run has none (an empty cell).</param>
/// <param name="Command">The <c>rlreg train</c> line that reproduces the run alone.</param>
public sealed record RunMetricRow(string Agent, string Env, string Norm, long Seed, string Metric, double Value, string Command);
