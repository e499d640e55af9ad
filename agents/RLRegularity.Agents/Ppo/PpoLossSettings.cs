namespace RLRegularity.Agents.Ppo;

/// <summary>The coefficients of PPO's minibatch loss.</summary>
/// <param name="ClipCoef">Surrogate clipping ε (also the value clip).</param>
/// <param name="ClipValueLoss">Clip the value loss around the rollout's values.</param>
/// <param name="EntropyCoef">Entropy bonus coefficient.</param>
/// <param name="ValueCoef">Value loss coefficient.</param>
public readonly record struct PpoLossSettings(double ClipCoef, bool ClipValueLoss, double EntropyCoef, double ValueCoef);
