using RLRegularity.Envs.ClassicControl;
using RLRegularity.Envs.Core;

namespace RLRegularity.Envs.Tests.ClassicControl;

public sealed class CartPoleTests
{
    [Fact]
    public void ResetDrawsGymnasiumsInitialStateForTheSameSeed()
    {
        // numpy: Generator(PCG64(SeedSequence(0))).uniform(-0.05, 0.05, size=(4,)), as Gymnasium's reset(seed=0).
        using var env = new CartPoleEnv();
        float[] obs = env.Reset(seed: 0).Observation;
        double[] expected = [0.013696168732145436, -0.02302132862361297, -0.045902647606380534, -0.04834723644714709];
        Span<double> state = stackalloc double[4];
        env.GetState(state);
        for (int i = 0; i < 4; i++)
        {
            Assert.Equal(expected[i], state[i], 15);
            Assert.Equal((float)expected[i], obs[i]);
        }
    }

    [Fact]
    public void HandDerivedFirstEulerStep()
    {
        // From the zero state, pushing right: temp = 10/1.1; θ̈ = (0 − temp)/(0.5·(4/3 − 0.1/1.1)); ẍ = temp − 0.05·θ̈/1.1.
        using var env = new CartPoleEnv();
        env.Reset(seed: 1);
        env.SetState([0, 0, 0, 0]);
        StepResult r = env.Step(1);
        double temp = 10.0 / 1.1;
        double thetaAcc = -temp / (0.5 * (4.0 / 3.0 - 0.1 / 1.1));
        double xAcc = temp - 0.05 * thetaAcc / 1.1;
        Assert.Equal(0f, r.Observation[0]);
        Assert.Equal((float)(0.02 * xAcc), r.Observation[1]);
        Assert.Equal(0f, r.Observation[2]);
        Assert.Equal((float)(0.02 * thetaAcc), r.Observation[3]);
        Assert.Equal(1.0, r.Reward);
    }

    [Fact]
    public void SteppingAfterTerminationGivesZeroReward()
    {
        using var env = new CartPoleEnv();
        env.Reset(seed: 0);
        env.SetState([0, 0, 0.3, 0]);
        StepResult first = env.Step(0);
        Assert.True(first.Terminated);
        Assert.Equal(1.0, first.Reward);
        Assert.Equal(0.0, env.Step(0).Reward);
    }

    [Fact]
    public void ParametersChangeTheDynamics()
    {
        using var light = new CartPoleEnv();
        using var heavy = new CartPoleEnv { Gravity = 20.0, Length = 1.0 };
        foreach (var env in new[] { light, heavy })
        {
            env.Reset(seed: 0);
            env.SetState([0, 0, 0.1, 0]);
        }
        float lightOmega = light.Step(0).Observation[3];
        float heavyOmega = heavy.Step(0).Observation[3];
        Assert.NotEqual(lightOmega, heavyOmega);
        Assert.Equal(20.0, heavy.GetParameter("gravity"));
        heavy.SetParameter("force_mag", 5);
        Assert.Equal(5.0, heavy.ForceMag);
    }

    [Fact]
    public void InvalidParametersAreRejectedWithTheirName()
    {
        using var env = new CartPoleEnv();
        var e = Assert.Throws<ArgumentOutOfRangeException>(() => env.MassPole = 0);
        Assert.Contains("MassPole", e.Message);
        var unknown = Assert.Throws<ArgumentException>(() => env.SetParameter("mass", 1));
        Assert.Contains("gravity", unknown.Message);
        Assert.Throws<ArgumentException>(() => env.SetState([0, double.NaN, 0, 0]));
        Assert.Throws<ArgumentOutOfRangeException>(() => env.Step(2));
    }

    [Fact]
    public void RandomPolicyMeanLengthMatchesGymnasium()
    {
        // Gymnasium's figure on this machine (10,000 episodes, env and action space both seeded seed + i): 22.9.
        using IEnv env = EnvRegistry.Make("CartPole-v1");
        EpisodeBatchSummary s = RandomPolicyEvaluation.Run(env, 10_000, seed: 0);
        Assert.InRange(s.MeanLength, 22.9 * 0.98, 22.9 * 1.02);
        Assert.Equal(s.MeanLength, s.MeanReturn);
    }

    [Fact]
    public void IndependentActionStreamsGiveTheUncorrelatedRandomPolicy()
    {
        // With actions drawn from a stream independent of the reset, the mean length is the random policy's true value (about 22.1).
        using IEnv env = EnvRegistry.Make("CartPole-v1");
        EpisodeBatchSummary s = RandomPolicyEvaluation.Run(env, 10_000, seed: 0, ActionSeeding.Independent);
        Assert.InRange(s.MeanLength, 21.7, 22.5);
    }
}
