using RLRegularity.Envs.Core;

namespace RegisterYourEnvironment;

/// <summary>
/// A slippery 1-D corridor of <see cref="Length"/> cells: the walker starts on a random inner cell and steps left
/// (action 0) or right (action 1), but slips the other way with probability <see cref="SlipProbability"/>. Reaching the
/// right end earns +1 and falling off the left end −1; both terminate the episode. The observation is the position
/// scaled to [−1, 1].
/// </summary>
public sealed class CorridorEnv : Env
{
    private static readonly BoxSpace Positions = new(-1f, 1f, [1]);
    private static readonly DiscreteSpace Moves = new(2);
    private int _position;

    /// <summary>Creates a corridor of <paramref name="length"/> cells (at least 3, so that there is an inner cell to start on).</summary>
    public CorridorEnv(int length = 11, double slipProbability = 0.1) : base(observationSize: 1)
    {
        // Validate at the boundary: a bad corridor should fail when it is built, not produce odd episodes later.
        if (length < 3) throw new ArgumentOutOfRangeException(nameof(length), length, "a corridor needs at least 3 cells");
        if (slipProbability is < 0 or > 1) throw new ArgumentOutOfRangeException(nameof(slipProbability), slipProbability, "must be a probability in [0, 1]");
        Length = length;
        SlipProbability = slipProbability;
    }

    /// <summary>The number of cells; the ends are cells 0 and Length − 1.</summary>
    public int Length { get; }

    /// <summary>The probability that a step goes the opposite way from the action.</summary>
    public double SlipProbability { get; }

    /// <summary>Box(−1, 1, (1,)): the position scaled to [−1, 1].</summary>
    public override Space ObservationSpace => Positions;

    /// <summary>Discrete(2): 0 steps left, 1 steps right.</summary>
    public override DiscreteSpace ActionSpace => Moves;

    // All randomness comes from the base class's Random, which Reset(seed) re-creates: that alone makes a seed
    // reproduce its episode (Gymnasium's np_random contract).
    protected override void ResetCore(IReadOnlyDictionary<string, object>? options)
    {
        _position = Random.NextInt(1, Length - 1);
        WriteObservation();
    }

    protected override (double Reward, bool Terminated, bool Truncated) StepCore(int action)
    {
        int direction = action == 1 ? 1 : -1;
        if (Random.NextDouble() < SlipProbability) direction = -direction;
        _position += direction;
        WriteObservation();
        // Truncation is not the environment's business: the time limit of its registration adds it.
        if (_position >= Length - 1) return (1.0, true, false);
        if (_position <= 0) return (-1.0, true, false);
        return (0.0, false, false);
    }

    private void WriteObservation()
    {
        Observation[0] = (float)(2.0 * _position / (Length - 1) - 1.0);
        // Info is cleared before every call; anything a user may want besides the observation goes here.
        Info.Values["position"] = _position;
    }

    // What a checkpoint needs beyond the generator and the observation, which the base class saves: the agents' run
    // folders checkpoint their environments, so an environment that training should use implements these two.
    protected override void WriteCoreState(BinaryWriter writer) => writer.Write(_position);

    protected override void ReadCoreState(BinaryReader reader) => _position = reader.ReadInt32();
}
