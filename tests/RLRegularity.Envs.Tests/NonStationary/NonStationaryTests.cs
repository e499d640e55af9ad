using System.Text.Json;
using RLRegularity.Envs.ClassicControl;
using RLRegularity.Envs.Core;
using RLRegularity.Envs.NonStationary;

namespace RLRegularity.Envs.Tests.NonStationary;

public sealed class ScheduleTests
{
    [Fact]
    public void SchedulesGiveTheirDefinedValues()
    {
        var sw = new SwitchSchedule(1, 2, 10);
        Assert.Equal([1.0, 1, 2, 2], new long[] { 0, 9, 10, 11 }.Select(sw.ValueAt));
        var periodic = new PeriodicSchedule(0, 1, 5);
        Assert.Equal([0.0, 0, 1, 1, 0], new long[] { 0, 4, 5, 9, 10 }.Select(periodic.ValueAt));
        Assert.Equal([5L, 10, 15], periodic.ChangePoints(15));
        var linear = new LinearDriftSchedule(10, 20, 100, 200);
        Assert.Equal([10.0, 10, 15, 20, 20], new long[] { 0, 100, 150, 200, 300 }.Select(linear.ValueAt));
    }

    [Fact]
    public void RandomWalkIsSeededAndBounded()
    {
        var a = new RandomWalkSchedule(0, 0.5, -1, 1, 10, Seed: 4);
        var b = new RandomWalkSchedule(0, 0.5, -1, 1, 10, Seed: 4);
        var values = Enumerable.Range(0, 2000).Select(s => a.ValueAt(s * 7L)).ToArray();
        Assert.Equal(values, Enumerable.Range(0, 2000).Select(s => b.ValueAt(s * 7L)).ToArray());
        Assert.All(values, v => Assert.InRange(v, -1, 1));
        Assert.Equal(a.ValueAt(10), a.ValueAt(19)); // constant within an interval
        Assert.True(values.Distinct().Count() > 100);
    }

    [Fact]
    public void SchedulesRoundTripThroughJson()
    {
        DriftSchedule[] schedules = [new SwitchSchedule(0.5, 0.2, 100), new PeriodicSchedule(1, 2, 3), new LinearDriftSchedule(1, 3, 4, 5), new RandomWalkSchedule(0, 1, -2, 2, 10, 7)];
        foreach (DriftSchedule s in schedules)
        {
            string json = JsonSerializer.Serialize(s);
            Assert.Contains("\"type\"", json);
            DriftSchedule back = JsonSerializer.Deserialize<DriftSchedule>(json)!;
            Assert.Equal(s.GetType(), back.GetType());
            Assert.Equal(s.ValueAt(42), back.ValueAt(42));
        }
    }
}

public sealed class DriftWrapperTests
{
    [Fact]
    public void ParameterDriftSetsThePhysicsAtTheScheduledStep()
    {
        var cartPole = new CartPoleEnv();
        using var env = new ParameterDrift(cartPole, "length", new SwitchSchedule(0.5, 0.2, 3));
        env.Reset(seed: 0);
        for (int i = 0; i < 3; i++)
        {
            Assert.Equal(0.5, env.Step(0).Info.Values[NonStationaryWrapper.ScheduleValueKey]);
        }
        Assert.Equal(0.5, cartPole.Length);
        Assert.Equal(0.2, env.Step(0).Info.Values[NonStationaryWrapper.ScheduleValueKey]);
        Assert.Equal(0.2, cartPole.Length);
        Assert.Throws<ArgumentException>(() => new ParameterDrift(new CartPoleEnv(), "mass", new SwitchSchedule(0, 1, 1)));
    }

    [Fact]
    public void StepsCountAcrossEpisodes()
    {
        using var env = new ParameterDrift(new CartPoleEnv(), "gravity", new SwitchSchedule(9.8, 20, 50));
        env.Reset(seed: 0);
        int episodes = 0;
        for (int i = 0; i < 200; i++)
        {
            if (env.Step(i % 2).Done)
            {
                episodes++;
                env.Reset();
            }
        }
        Assert.True(episodes > 1);
        Assert.Equal(200, env.CopySteps);
        Assert.Equal(20, env.CurrentValue);
    }

    [Fact]
    public void ActionFlipSwapsTheActions()
    {
        using var flipped = new ActionPermutation(new CartPoleEnv(), [1, 0], new SwitchSchedule(0, 1, 0));
        using var plain = new CartPoleEnv();
        flipped.Reset(seed: 0);
        plain.Reset(seed: 0);
        Assert.Equal(plain.Step(1).Observation, flipped.Step(0).Observation);
        Assert.Throws<ArgumentException>(() => new ActionPermutation(new CartPoleEnv(), [0, 0], new SwitchSchedule(0, 1, 0)));
    }

    [Fact]
    public void ObservationDriftIsAffineInTheScheduleValue()
    {
        using var drifted = new ObservationDrift(new CartPoleEnv(), [1, 4, 1, 4], [1, 0, 0.1f, 0], 0, new SwitchSchedule(0, 1, 1));
        using var plain = new CartPoleEnv();
        Assert.Equal(plain.Reset(seed: 2).Observation, drifted.Reset(seed: 2).Observation); // value 0: untouched
        float[] a = (float[])plain.Step(0).Observation.Clone();
        float[] b = drifted.Step(0).Observation; // step 0 still uses value 0
        Assert.Equal(a, b);
        float[] p = (float[])plain.Step(1).Observation.Clone();
        float[] d = drifted.Step(1).Observation;
        Assert.Equal(p[0] + 1, d[0], 6);
        Assert.Equal(4 * p[1], d[1], 5);
        Assert.Equal(p[2] + 0.1f, d[2], 6);
    }

    [Fact]
    public void VectorCopiesRunTheScheduleOnTheGlobalStep()
    {
        using var vec = new SyncVectorEnv(_ => EnvRegistry.Make("CartPole-ActionFlip-v0"), 4);
        vec.Reset(seed: 0);
        var drift = vec.Envs[0].Find<NonStationaryWrapper>()!;
        Assert.Equal(4, drift.CopyCount);
        var actions = new int[4];
        for (int i = 0; i < 25_000; i++) vec.Step(actions);
        Assert.Equal(100_000, drift.GlobalStep);
        vec.Step(actions);
        Assert.Equal(1.0, vec.Infos[0].Values[NonStationaryWrapper.ScheduleValueKey]);
    }

    [Fact]
    public void StateRoundTripResumesTheSchedule()
    {
        IEnv Make() => EnvRegistry.Make("CartPole-PoleLengthSwitch-v0");
        using IEnv a = Make();
        a.Reset(seed: 1);
        for (int i = 0; i < 7; i++) a.Step(i % 2);
        using var stream = new MemoryStream();
        EnvState.Write(a, new BinaryWriter(stream));
        using IEnv b = Make();
        stream.Position = 0;
        EnvState.Read(b, new BinaryReader(stream));
        for (int i = 0; i < 30; i++)
        {
            StepResult ra = a.Step(i % 3 == 0 ? 1 : 0), rb = b.Step(i % 3 == 0 ? 1 : 0);
            Assert.Equal(ra.Observation, rb.Observation);
            Assert.Equal(ra.Done, rb.Done);
            if (ra.Done)
            {
                Assert.Equal(a.Reset().Observation, b.Reset().Observation);
            }
        }
    }

    [Fact]
    public void RegisteredTasksDescribeTheirChange()
    {
        foreach (string id in new[] { "CartPole-PoleLengthSwitch-v0", "CartPole-GravityDrift-v0", "CartPole-ActionFlip-v0", "CartPole-ObservationDrift-v0", "Acrobot-MassDrift-v0" })
        {
            EnvSpec spec = EnvRegistry.Spec(id);
            Assert.NotNull(spec.Change);
            // Abrupt switches happen at 100k; linear drifts start at 75k and are centred on 100k.
            long change = Assert.Single(spec.Change!.Schedule.ChangePoints(200_000));
            Assert.Contains(change, new[] { 75_000L, 100_000L });
            Assert.NotEqual(spec.Change.Schedule.ValueAt(0), spec.Change.Schedule.ValueAt(200_000));
            using IEnv env = EnvRegistry.Make(id);
            env.Reset(seed: 0);
            Assert.True(env.Step(0).Info.Values.ContainsKey(NonStationaryWrapper.ScheduleValueKey));
        }
    }
}

public sealed class EnvSwitchTests
{
    private static MiniGridWorldSwitch DistShiftSwitch(long atStep) =>
        new(EnvRegistry.Make("MiniGrid-DistShift1-v0"), EnvRegistry.Make("MiniGrid-DistShift2-v0"), new SwitchSchedule(0, 1, atStep));

    [Fact]
    public void TheWorldChangesAtTheFirstResetAfterTheChangeStepNeverMidEpisode()
    {
        using MiniGridWorldSwitch env = DistShiftSwitch(atStep: 5);
        env.Reset(seed: 1);
        // DistShift1's second lava strip is on row 2, DistShift2's on row 5.
        Assert.Equal(RLRegularity.Envs.MiniGrid.ObjectType.Lava, env.Grid.Get(3, 2).Type);
        for (int i = 0; i < 8; i++)
        {
            StepResult r = env.Step(0); // turning left never ends the episode
            Assert.False(r.Done);
            Assert.Equal(i < 5 ? 0.0 : 1.0, r.Info.Values[NonStationaryWrapper.ScheduleValueKey]);
            Assert.Equal(RLRegularity.Envs.MiniGrid.ObjectType.Lava, env.Grid.Get(3, 2).Type); // still the old world
        }
        Assert.False(env.InSecond);
        env.Reset();
        Assert.True(env.InSecond);
        Assert.Equal(RLRegularity.Envs.MiniGrid.ObjectType.Lava, env.Grid.Get(3, 5).Type);
        Assert.NotEqual(RLRegularity.Envs.MiniGrid.ObjectType.Lava, env.Grid.Get(3, 2).Type);
    }

    [Fact]
    public void ASeededSwitchIsAFunctionOfItsSeedInBothWorlds()
    {
        float[][] Run()
        {
            using IEnv env = new MiniGridWorldSwitch(EnvRegistry.Make("MiniGrid-DoorKey-5x5-v0"), EnvRegistry.Make("MiniGrid-LavaGapS5-v0"), new SwitchSchedule(0, 1, 300));
            var rng = new Rng(3);
            var seen = new List<float[]> { (float[])env.Reset(seed: 11).Observation.Clone() };
            for (int i = 0; i < 2000; i++)
            {
                StepResult r = env.Step(rng.NextInt(7));
                seen.Add((float[])(r.Done ? env.Reset().Observation : r.Observation).Clone());
            }
            return [.. seen];
        }

        float[][] a = Run(), b = Run();
        Assert.Equal(a.Length, b.Length);
        for (int i = 0; i < a.Length; i++) Assert.Equal(a[i], b[i]);
    }

    [Fact]
    public void EnvironmentsWithDifferentSpacesCannotBeSwitched()
    {
        var e = Assert.Throws<ArgumentException>(() => new EnvSwitch(new CartPoleEnv(), new AcrobotEnv(), new SwitchSchedule(0, 1, 10)));
        Assert.Contains("same observation space", e.Message);
    }

    [Theory]
    [InlineData("MiniGrid-DistShift-Switch-v0")]
    [InlineData("MiniGrid-DoorKey-LavaGap-Switch-v0")]
    public void TheMiniGridSwitchTasksAreRegisteredWithTheirChange(string id)
    {
        EnvSpec spec = EnvRegistry.Spec(id);
        Assert.Equal([NonStationaryTasks.MiniGridChangeStep], spec.Change!.Schedule.ChangePoints(500_000));
        using IEnv env = EnvRegistry.Make(id);
        Assert.Equal(new[] { 7, 7, 3 }, env.ObservationSpace.Shape);
        Assert.Equal(7, env.ActionSpace.N);
        Assert.NotNull(env.Find<RLRegularity.Envs.MiniGrid.IMiniGridEnv>());
    }
}
