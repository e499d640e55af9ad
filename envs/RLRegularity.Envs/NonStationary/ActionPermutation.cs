using RLRegularity.Envs.Core;

namespace RLRegularity.Envs.NonStationary;

/// <summary>Applies a permutation to the actions while the schedule's value is ≥ 0.5 (e.g. swapping left and right).</summary>
public sealed class ActionPermutation : NonStationaryWrapper
{
    private readonly int[] _permutation;

    /// <summary>Wraps <paramref name="inner"/>; <paramref name="permutation"/>[a] is the environment action for agent action a.</summary>
    public ActionPermutation(IEnv inner, int[] permutation, DriftSchedule schedule) : base(inner, schedule)
    {
        int n = inner.ActionSpace.N;
        if (permutation.Length != n || permutation.Order().Where((v, i) => v != i).Any())
            throw new ArgumentException($"the permutation must contain each of the {n} actions exactly once, got [{string.Join(", ", permutation)}]", nameof(permutation));
        _permutation = (int[])permutation.Clone();
    }

    protected override int TransformAction(int action, double value) =>
        value >= 0.5 && (uint)action < (uint)_permutation.Length ? _permutation[action] : action;
}
