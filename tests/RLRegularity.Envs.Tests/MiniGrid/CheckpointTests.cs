using RLRegularity.Envs.Core;
using RLRegularity.Envs.MiniGrid;
using RLRegularity.Envs.Tests.MiniGrid.Worlds;

namespace RLRegularity.Envs.Tests.MiniGrid;

/// <summary>
/// A MiniGrid world restored from a checkpoint continues exactly as the original would have: same observations,
/// rewards, end flags and levels after later (unseeded) resets, for every registered id and the world switches.
/// </summary>
public sealed class CheckpointTests
{
    /// <summary>Every MiniGrid id, the world switches included.</summary>
    public static TheoryData<string> Ids() => RegisteredWorldsTests.Ids();

    [Theory]
    [MemberData(nameof(Ids))]
    public void RestoredWorldContinuesLikeTheOriginal(string id)
    {
        using IEnv original = EnvRegistry.Make(id);
        var actions = new Rng(11);
        original.Reset(seed: 3);
        // Mid-episode (and past a few resets, so the generator is not at a seeded state).
        for (int i = 0; i < 150; i++)
        {
            if (original.Step(actions.NextInt(original.ActionSpace.N)).Done) original.Reset();
        }
        byte[] saved = Save(original);

        using IEnv restored = EnvRegistry.Make(id);
        restored.Reset(seed: 999); // a different level and generator, overwritten by the restore
        Load(restored, saved);

        var continuation = new Rng(12);
        for (int i = 0; i < 400; i++)
        {
            int action = continuation.NextInt(original.ActionSpace.N);
            StepResult expected = original.Step(action);
            float[] expectedObservation = expected.Observation.ToArray();
            StepResult actual = restored.Step(action);
            Assert.Equal(expectedObservation, actual.Observation.ToArray());
            Assert.Equal(expected.Reward, actual.Reward);
            Assert.Equal(expected.Terminated, actual.Terminated);
            Assert.Equal(expected.Truncated, actual.Truncated);
            if (expected.Done)
            {
                Assert.Equal(original.Reset().Observation.ToArray(), restored.Reset().Observation.ToArray());
            }
        }
        Assert.Equal(Save(original), Save(restored));
    }

    [Fact]
    public void CheckpointOfANeverResetWorldRestoresToNoEpisode()
    {
        using IEnv fresh = EnvRegistry.Make("MiniGrid-DoorKey-5x5-v0");
        byte[] saved = Save(fresh);
        using IEnv other = EnvRegistry.Make("MiniGrid-DoorKey-5x5-v0");
        other.Reset(seed: 1);
        Load(other, saved);
        Assert.Equal(saved, Save(other));
    }

    [Fact]
    public void CheckpointOfAnotherConfigurationIsRejectedWithAClearMessage()
    {
        using IEnv doorKey = EnvRegistry.Make("MiniGrid-DoorKey-8x8-v0");
        doorKey.Reset(seed: 4);
        for (int i = 0; i < 30; i++) doorKey.Step(2);
        byte[] saved = Save(doorKey);
        using IEnv empty = EnvRegistry.Make("MiniGrid-Empty-8x8-v0");
        var error = Assert.Throws<InvalidDataException>(() => Load(empty, saved));
        Assert.Contains("does not replay to the saved state", error.Message);
    }

    private static byte[] Save(IEnv env)
    {
        using var stream = new MemoryStream();
        using (var writer = new BinaryWriter(stream, System.Text.Encoding.UTF8, leaveOpen: true)) EnvState.Write(env, writer);
        return stream.ToArray();
    }

    private static void Load(IEnv env, byte[] state)
    {
        using var reader = new BinaryReader(new MemoryStream(state));
        EnvState.Read(env, reader);
    }
}
