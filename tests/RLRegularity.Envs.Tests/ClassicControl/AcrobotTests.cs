using RLRegularity.Envs.ClassicControl;
using RLRegularity.Envs.Core;

namespace RLRegularity.Envs.Tests.ClassicControl;

public sealed class AcrobotTests
{
    [Fact]
    public void ResetStoresAFloat32StateAsGymnasium()
    {
        using var env = new AcrobotEnv();
        env.Reset(seed: 0);
        Span<double> state = stackalloc double[4];
        env.GetState(state);
        // numpy: uniform(-0.1, 0.1, 4) of SeedSequence(0), cast to float32.
        double[] expected = [2 * 0.013696168732145436, 2 * -0.02302132862361297, 2 * -0.045902647606380534, 2 * -0.04834723644714709];
        for (int i = 0; i < 4; i++) Assert.Equal((double)(float)expected[i], state[i], 7);
        foreach (double v in state) Assert.Equal((double)(float)v, v);
    }

    [Fact]
    public void RestingStateStaysAtRestWithoutTorque()
    {
        using var env = new AcrobotEnv();
        env.Reset(seed: 0);
        env.SetState([0, 0, 0, 0]);
        StepResult r = env.Step(1);
        float[] rest = [1f, 0f, 1f, 0f, 0f, 0f];
        for (int i = 0; i < 6; i++) Assert.Equal(rest[i], r.Observation[i], 1e-12f); // cos(−π/2) is not exactly 0
        Assert.Equal(-1.0, r.Reward);
        Assert.False(r.Terminated);
    }

    [Fact]
    public void EndAboveTheBarTerminatesWithZeroReward()
    {
        using var env = new AcrobotEnv();
        env.Reset(seed: 0);
        env.SetState([Math.PI - 0.05, 0, 0, 0]); // pointing straight up: −cos θ₁ − cos(θ₁+θ₂) ≈ 2
        StepResult r = env.Step(1);
        Assert.True(r.Terminated);
        Assert.Equal(0.0, r.Reward);
    }

    [Fact]
    public void VelocitiesAreClippedAndAnglesWrapped()
    {
        using var env = new AcrobotEnv();
        env.Reset(seed: 0);
        env.SetState([3.1, -3.1, 100, -100]);
        env.Step(2);
        Span<double> s = stackalloc double[4];
        env.GetState(s);
        Assert.InRange(s[0], -Math.PI, Math.PI);
        Assert.InRange(s[1], -Math.PI, Math.PI);
        Assert.InRange(s[2], -4 * Math.PI, 4 * Math.PI);
        Assert.InRange(s[3], -9 * Math.PI, 9 * Math.PI);
    }

    [Fact]
    public void TorqueNoiseAndMassesAreSettable()
    {
        using var a = new AcrobotEnv();
        using var b = new AcrobotEnv();
        b.SetParameter("link_mass_2", 2.0);
        foreach (var env in new[] { a, b })
        {
            env.Reset(seed: 3);
            env.SetState([0.5, 0.5, 0, 0]);
        }
        Assert.NotEqual(a.Step(2).Observation[5], b.Step(2).Observation[5]);
        Assert.Throws<ArgumentOutOfRangeException>(() => a.TorqueNoiseMax = -1);
        a.TorqueNoiseMax = 0.5;
        Assert.Equal(0.5, a.GetParameter("torque_noise_max"));
    }
}
