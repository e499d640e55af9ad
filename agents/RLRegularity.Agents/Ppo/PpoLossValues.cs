namespace RLRegularity.Agents.Ppo;

/// <summary>PPO's minibatch loss, its parts and the diagnostics CleanRL logs.</summary>
/// <param name="Loss">policy − EntropyCoef · entropy + ValueCoef · value.</param>
/// <param name="PolicyLoss">Clipped surrogate loss.</param>
/// <param name="ValueLoss">Half the (clipped) squared error.</param>
/// <param name="Entropy">Mean policy entropy.</param>
/// <param name="ApproxKl">Mean of (r − 1) − log r, Schulman's low-variance KL estimator.</param>
/// <param name="ClipFraction">Fraction of samples with |r − 1| &gt; ε.</param>
public readonly record struct PpoLossValues(double Loss, double PolicyLoss, double ValueLoss, double Entropy, double ApproxKl, double ClipFraction);
