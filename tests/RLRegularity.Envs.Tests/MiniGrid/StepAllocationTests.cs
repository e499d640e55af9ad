using RLRegularity.Envs.Core;
using RLRegularity.Envs.Tests.MiniGrid.Worlds;

namespace RLRegularity.Envs.Tests.MiniGrid;

/// <summary>MiniGrid's step is allocation-free (level generation at reset may allocate; stepping must not).</summary>
public sealed class StepAllocationTests
{
    public static TheoryData<string> Ids() => RegisteredWorldsTests.Ids();

    [Theory]
    [MemberData(nameof(Ids))]
    public void StepsDoNotAllocate(string id)
    {
        using IEnv env = EnvRegistry.Make(id);
        var rng = new Rng(5);
        env.Reset(seed: 5);
        // Warm up: JIT and any lazily created per-environment buffers.
        for (int i = 0; i < 200; i++)
        {
            if (env.Step(rng.NextInt(env.ActionSpace.N)).Done) env.Reset();
        }

        long allocated = 0;
        for (int i = 0; i < 2000; i++)
        {
            int action = rng.NextInt(env.ActionSpace.N);
            long before = GC.GetAllocatedBytesForCurrentThread();
            bool done = env.Step(action).Done;
            allocated += GC.GetAllocatedBytesForCurrentThread() - before;
            if (done) env.Reset();
        }
        Assert.Equal(0, allocated);
    }
}
