namespace RLRegularity.Envs.Core;

/// <summary>
/// The toolkit's random generator: numpy's <c>PCG64</c> bit generator seeded through numpy's <c>SeedSequence</c>,
/// with numpy <c>Generator</c>'s rules for <see cref="NextDouble"/>, <see cref="Uniform"/> and <see cref="NextInt(int)"/>.
/// </summary>
/// <remarks>
/// Gymnasium seeds every environment with <c>np.random.Generator(np.random.PCG64(np.random.SeedSequence(seed)))</c>.
/// Reproducing that generator bit for bit means that <c>Reset(seed)</c> of a ported environment draws exactly the
/// initial state Gymnasium draws for the same seed, and that seeded action sampling matches
/// <c>action_space.seed(seed)</c>. Gaussian draws (<see cref="NextGaussian"/>) use Marsaglia's polar method, not
/// numpy's ziggurat, and <see cref="Shuffle{T}"/> uses <see cref="NextInt(int)"/>, so those streams differ from numpy's;
/// <see cref="ShuffleAsNumpy{T}"/> is numpy's shuffle, for ports that must keep numpy's stream.
/// Seeds must be non-negative (as numpy requires). The generator is not thread-safe: one instance per thread or env.
/// </remarks>
public sealed class Rng
{
    // PCG's default 128-bit LCG multiplier (pcg64.h: PCG_DEFAULT_MULTIPLIER_HIGH/LOW).
    private static readonly UInt128 Multiplier = new(2549297995355413924UL, 4865540595714422341UL);

    private UInt128 _state;
    private UInt128 _increment;
    private bool _hasUInt32;
    private uint _bufferedUInt32;
    private bool _hasSpareGaussian;
    private double _spareGaussian;

    /// <summary>Seeds as <c>PCG64(SeedSequence(seed))</c>, i.e. as Gymnasium seeds an environment.</summary>
    public Rng(long seed) : this(SeedSequence.GenerateState(seed, null)) { }

    /// <summary>
    /// Seeds an independent child stream of <paramref name="seed"/>: <c>PCG64(SeedSequence(seed, spawn_key=(stream,)))</c>,
    /// the child numpy's <c>SeedSequence(seed).spawn()</c> gives, so components seeded from one user seed share no draws.
    /// </summary>
    public Rng(long seed, ulong stream) : this(SeedSequence.GenerateState(seed, stream)) { }

    private Rng(ulong[] words)
    {
        // pcg64_set_seed: state from words 0-1, increment (stream) from words 2-3, then two LCG steps.
        var initState = new UInt128(words[0], words[1]);
        var initSequence = new UInt128(words[2], words[3]);
        _state = 0;
        _increment = (initSequence << 1) | 1;
        Step();
        _state += initState;
        Step();
    }

    private Rng() { }

    /// <summary>A generator seeded from the operating system's entropy (for an unseeded first reset, as Gymnasium).</summary>
    public static Rng FromEntropy() =>
        new(BitConverter.ToInt64(System.Security.Cryptography.RandomNumberGenerator.GetBytes(8)) & long.MaxValue);

    private void Step() => _state = _state * Multiplier + _increment;

    /// <summary>The next 64 bits (PCG64's XSL-RR output of the advanced state).</summary>
    public ulong NextUInt64()
    {
        Step();
        ulong high = (ulong)(_state >> 64), low = (ulong)_state;
        return ulong.RotateRight(high ^ low, (int)(high >> 58));
    }

    /// <summary>The next 32 bits; as numpy, one 64-bit draw serves two calls (low half first).</summary>
    public uint NextUInt32()
    {
        if (_hasUInt32)
        {
            _hasUInt32 = false;
            return _bufferedUInt32;
        }
        ulong next = NextUInt64();
        _hasUInt32 = true;
        _bufferedUInt32 = (uint)(next >> 32);
        return (uint)next;
    }

    /// <summary>A double uniform in [0, 1) with 53 random bits (numpy's <c>random()</c>).</summary>
    public double NextDouble() => (NextUInt64() >> 11) * (1.0 / 9007199254740992.0);

    /// <summary>A double uniform in [low, high): low + (high − low)·u, as numpy's <c>uniform</c>.</summary>
    public double Uniform(double low, double high) => low + (high - low) * NextDouble();

    /// <summary>An integer uniform in [0, n), drawn as numpy's <c>integers(n)</c> (32-bit Lemire with rejection).</summary>
    public int NextInt(int n)
    {
        if (n <= 0) throw new ArgumentOutOfRangeException(nameof(n), n, "the range size must be positive");
        if (n == 1) return 0;
        uint exclusive = (uint)n;
        ulong m = (ulong)NextUInt32() * exclusive;
        uint leftover = (uint)m;
        if (leftover < exclusive)
        {
            uint threshold = (uint.MaxValue - (exclusive - 1)) % exclusive;
            while (leftover < threshold)
            {
                m = (ulong)NextUInt32() * exclusive;
                leftover = (uint)m;
            }
        }
        return (int)(m >> 32);
    }

    /// <summary>An integer uniform in [low, high) (numpy's <c>integers(low, high)</c>).</summary>
    public int NextInt(int low, int high)
    {
        if (high <= low) throw new ArgumentOutOfRangeException(nameof(high), $"empty range [{low}, {high})");
        return low + NextInt(high - low);
    }

    /// <summary>A standard normal draw (Marsaglia's polar method; the second value of each pair is cached).</summary>
    public double NextGaussian()
    {
        if (_hasSpareGaussian)
        {
            _hasSpareGaussian = false;
            return _spareGaussian;
        }
        double u, v, s;
        do
        {
            u = 2.0 * NextDouble() - 1.0;
            v = 2.0 * NextDouble() - 1.0;
            s = u * u + v * v;
        } while (s >= 1.0 || s == 0.0);
        double factor = Math.Sqrt(-2.0 * Math.Log(s) / s);
        _spareGaussian = v * factor;
        _hasSpareGaussian = true;
        return u * factor;
    }

    /// <summary>Shuffles <paramref name="items"/> in place (Fisher–Yates).</summary>
    public void Shuffle<T>(Span<T> items)
    {
        for (int i = items.Length - 1; i > 0; i--)
        {
            int j = NextInt(i + 1);
            (items[i], items[j]) = (items[j], items[i]);
        }
    }

    /// <summary>
    /// Shuffles <paramref name="items"/> in place exactly as numpy's <c>Generator.shuffle</c> does: Fisher–Yates from the
    /// end, each index j ≤ i drawn by numpy's <c>random_interval</c> (a 32-bit draw masked to the smallest all-ones mask
    /// ≥ i, redrawn while above i). A ported generator that shuffles where Python shuffles then keeps numpy's stream.
    /// </summary>
    public void ShuffleAsNumpy<T>(Span<T> items)
    {
        for (int i = items.Length - 1; i > 0; i--)
        {
            uint max = (uint)i, mask = max;
            mask |= mask >> 1;
            mask |= mask >> 2;
            mask |= mask >> 4;
            mask |= mask >> 8;
            mask |= mask >> 16;
            uint j;
            do j = NextUInt32() & mask;
            while (j > max);
            (items[i], items[(int)j]) = (items[(int)j], items[i]);
        }
    }

    /// <summary>The full generator state, for checkpoints; <see cref="FromState"/> restores it exactly.</summary>
    public RngState GetState() => new((ulong)(_state >> 64), (ulong)_state, (ulong)(_increment >> 64), (ulong)_increment,
                                      _hasUInt32, _bufferedUInt32, _hasSpareGaussian, _spareGaussian);

    /// <summary>Restores a generator saved with <see cref="GetState"/>.</summary>
    public static Rng FromState(RngState state)
    {
        if ((state.IncrementLow & 1) == 0) throw new ArgumentException("a PCG64 increment must be odd", nameof(state));
        return new Rng
        {
            _state = new UInt128(state.StateHigh, state.StateLow),
            _increment = new UInt128(state.IncrementHigh, state.IncrementLow),
            _hasUInt32 = state.HasUInt32,
            _bufferedUInt32 = state.BufferedUInt32,
            _hasSpareGaussian = state.HasSpareGaussian,
            _spareGaussian = state.SpareGaussian,
        };
    }

    /// <summary>numpy's <c>SeedSequence</c> (entropy pool of four 32-bit words, hashmix/mix as in numpy/random/bit_generator.pyx).</summary>
    private static class SeedSequence
    {
        private const uint InitA = 0x43b0d7e5, MultA = 0x931e8875, InitB = 0x8b51f9dd, MultB = 0x58f38ded;
        private const uint MixMultL = 0xca01f9dd, MixMultR = 0x4973f715;
        private const int XShift = 16, PoolSize = 4;

        /// <summary>generate_state(4, uint64) of SeedSequence(seed[, spawn_key=(stream,)]).</summary>
        public static ulong[] GenerateState(long seed, ulong? stream)
        {
            if (seed < 0) throw new ArgumentOutOfRangeException(nameof(seed), seed, "seeds must be non-negative (as numpy's SeedSequence requires)");
            var entropy = new List<uint>(Words((ulong)seed));
            if (stream is ulong key)
            {
                while (entropy.Count < PoolSize) entropy.Add(0); // numpy pads run entropy when a spawn key follows
                entropy.AddRange(Words(key));
            }
            uint[] pool = MixEntropy(entropy);
            uint hashConst = InitB;
            var words32 = new uint[8];
            for (int i = 0; i < words32.Length; i++)
            {
                uint value = pool[i % PoolSize];
                value ^= hashConst;
                hashConst = unchecked(hashConst * MultB);
                value = unchecked(value * hashConst);
                value ^= value >> XShift;
                words32[i] = value;
            }
            var result = new ulong[4];
            for (int i = 0; i < 4; i++) result[i] = words32[2 * i] | (ulong)words32[2 * i + 1] << 32;
            return result;
        }

        private static IEnumerable<uint> Words(ulong n)
        {
            if (n == 0)
            {
                yield return 0;
                yield break;
            }
            for (; n > 0; n >>= 32) yield return (uint)n;
        }

        private static uint[] MixEntropy(List<uint> entropy)
        {
            var mixer = new uint[PoolSize];
            uint hashConst = InitA;
            uint HashMix(uint value)
            {
                value ^= hashConst;
                hashConst = unchecked(hashConst * MultA);
                value = unchecked(value * hashConst);
                return value ^ (value >> XShift);
            }
            static uint Mix(uint x, uint y)
            {
                uint result = unchecked(MixMultL * x - MixMultR * y);
                return result ^ (result >> XShift);
            }
            for (int i = 0; i < PoolSize; i++) mixer[i] = HashMix(i < entropy.Count ? entropy[i] : 0);
            for (int src = 0; src < PoolSize; src++)
            {
                for (int dst = 0; dst < PoolSize; dst++)
                {
                    if (src != dst) mixer[dst] = Mix(mixer[dst], HashMix(mixer[src]));
                }
            }
            for (int src = PoolSize; src < entropy.Count; src++)
            {
                for (int dst = 0; dst < PoolSize; dst++) mixer[dst] = Mix(mixer[dst], HashMix(entropy[src]));
            }
            return mixer;
        }
    }
}

/// <summary>The serializable state of an <see cref="Rng"/> (PCG64 state and increment, numpy's 32-bit buffer, Gaussian cache).</summary>
public readonly record struct RngState(ulong StateHigh, ulong StateLow, ulong IncrementHigh, ulong IncrementLow,
                                       bool HasUInt32, uint BufferedUInt32, bool HasSpareGaussian, double SpareGaussian);
