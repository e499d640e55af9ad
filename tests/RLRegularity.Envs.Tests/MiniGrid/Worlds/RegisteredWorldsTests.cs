using RLRegularity.Envs.Core;
using RLRegularity.Envs.MiniGrid;

namespace RLRegularity.Envs.Tests.MiniGrid.Worlds;

/// <summary>Every registered MiniGrid id: seeded resets reproduce the level, random play never breaks the engine.</summary>
public sealed class RegisteredWorldsTests
{
    public static TheoryData<string> Ids()
    {
        var data = new TheoryData<string>();
        foreach (string id in EnvRegistry.Ids.Where(i => i.StartsWith("MiniGrid-", StringComparison.Ordinal))) data.Add(id);
        return data;
    }

    [Fact]
    public void EveryIdOfMinigridMdIsRegistered()
    {
        string[] expected =
        [
            "Empty-5x5", "Empty-Random-5x5", "Empty-6x6", "Empty-Random-6x6", "Empty-8x8", "Empty-16x16",
            "DoorKey-5x5", "DoorKey-6x6", "DoorKey-8x8", "DoorKey-16x16", "FourRooms", "MultiRoom-N2-S4", "MultiRoom-N4-S5", "MultiRoom-N6",
            "KeyCorridorS3R1", "KeyCorridorS3R2", "KeyCorridorS3R3", "KeyCorridorS4R3", "KeyCorridorS5R3", "KeyCorridorS6R3",
            "LavaGapS5", "LavaGapS6", "LavaGapS7", "LavaCrossingS9N1", "LavaCrossingS9N2", "LavaCrossingS9N3", "LavaCrossingS11N5",
            "SimpleCrossingS9N1", "SimpleCrossingS9N2", "SimpleCrossingS9N3", "SimpleCrossingS11N5", "DistShift1", "DistShift2",
            "Dynamic-Obstacles-5x5", "Dynamic-Obstacles-Random-5x5", "Dynamic-Obstacles-6x6", "Dynamic-Obstacles-Random-6x6",
            "Dynamic-Obstacles-8x8", "Dynamic-Obstacles-16x16", "Unlock", "UnlockPickup", "BlockedUnlockPickup", "RedBlueDoors-6x6",
            "RedBlueDoors-8x8", "GoToDoor-5x5", "GoToDoor-6x6", "GoToDoor-8x8", "GoToObject-6x6-N2", "GoToObject-8x8-N2",
            "Fetch-5x5-N2", "Fetch-6x6-N2", "Fetch-8x8-N3", "PutNear-6x6-N2", "PutNear-8x8-N3", "MemoryS7", "MemoryS9", "MemoryS11",
            "MemoryS13", "MemoryS13Random", "MemoryS17Random", "LockedRoom", "ObstructedMaze-1Dl", "ObstructedMaze-1Dlh",
            "ObstructedMaze-1Dlhb", "ObstructedMaze-2Dl", "ObstructedMaze-2Dlh", "ObstructedMaze-2Dlhb", "ObstructedMaze-1Q",
            "ObstructedMaze-2Q", "ObstructedMaze-Full", "Playground",
        ];
        foreach (string name in expected) Assert.True(EnvRegistry.Contains($"MiniGrid-{name}-v0"), name);
    }

    [Theory]
    [MemberData(nameof(Ids))]
    public void SeededResetsReproduceTheLevelAndRandomPlayStaysValid(string id)
    {
        using IEnv a = EnvRegistry.Make(id), b = EnvRegistry.Make(id);
        var actions = new Rng(5);
        for (long seed = 0; seed < 3; seed++)
        {
            float[] first = [.. a.Reset(seed).Observation];
            Assert.Equal(first, b.Reset(seed).Observation);
            var wa = a.Find<MiniGridEnv>()!;
            var wb = b.Find<MiniGridEnv>()!;
            Assert.Equal(TextLevel.Write(wa), TextLevel.Write(wb));
            Assert.True(a.ObservationSpace.Contains(first));
            Assert.Equal(wa.AgentDirection, (int)a.Reset(seed).Info.Values[MiniGridEnv.DirectionInfoKey]);
            for (int t = 0; t < 300; t++)
            {
                StepResult r = a.Step(actions.NextInt(a.ActionSpace.N));
                Assert.True(a.ObservationSpace.Contains(r.Observation));
                Assert.True(wa.Grid.Get(wa.AgentPosition).CanOverlap);
                if (r.Terminated || r.Truncated) a.Reset();
            }
        }
    }
}
