namespace RLRegularity.Agents.Interventions;

/// <summary>A plasticity intervention applied while an agent trains (docs/PLASTICITY.md#interventions). The config key
/// <c>intervention</c> and <c>rlreg train --intervention</c> take these names.</summary>
public enum InterventionKind
{
    /// <summary>No intervention: training is exactly as without this feature.</summary>
    None,

    /// <summary>L2 regularization toward the initial parameters, λ‖θ − θ₀‖² (Kumar, Marklund and Van Roy, 2023).</summary>
    L2init,

    /// <summary>Soft shrink-and-perturb after every optimizer step, θ ← αθ + σ·θ_fresh (Ash and Adams, 2020; per step as in
    /// Juliani and Ash, 2024).</summary>
    Snp,

    /// <summary>Re-initialise the last layers and their optimizer state every R environment steps, keeping the replay
    /// buffer and the rollout (Nikishin et al., 2022).</summary>
    Reset,

    /// <summary>Every K gradient steps, re-initialise the incoming weights of τ-dormant units, zero their outgoing weights
    /// and their Adam moments (ReDo; Sokar et al., 2023).</summary>
    Redo,
}
