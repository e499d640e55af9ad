using RLRegularity.Envs.Core;
using RLRegularity.TestSupport;

namespace RLRegularity.Envs.Tests.ClassicControl;

/// <summary>Every step of every trajectory Gymnasium produced (tests/reference/classic-sample.json) is reproduced.</summary>
public sealed class GymnasiumTrajectoryTests
{
    public static TheoryData<int> CaseIndices()
    {
        var data = new TheoryData<int>();
        foreach (ClassicCase c in ClassicReference.Load()) data.Add(c.Index);
        return data;
    }

    [Fact]
    public void SampleCoversBothEnvironmentsAndBothEndings()
    {
        IReadOnlyList<ClassicCase> cases = ClassicReference.Load();
        Assert.Contains(cases, c => c.Env == "CartPole-v1");
        Assert.Contains(cases, c => c.Env == "Acrobot-v1");
        Assert.Contains(cases, c => c.Steps[^1].Terminated);
        Assert.Contains(cases, c => c.Steps[^1].Truncated);
    }

    [Theory]
    [MemberData(nameof(CaseIndices))]
    public void ReplayMatchesGymnasium(int index)
    {
        ClassicCase c = ClassicReference.Load()[index];
        using IEnv env = EnvRegistry.Make(c.Env);
        env.Reset(seed: 0);
        env.Find<IPhysicalStateEnv>()!.SetState(c.State);
        for (int t = 0; t < c.Steps.Length; t++)
        {
            StepResult r = env.Step(c.Actions[t]);
            ClassicStep expected = c.Steps[t];
            for (int k = 0; k < expected.Obs.Length; k++)
                Assert.True(Math.Abs(r.Observation[k] - expected.Obs[k]) <= 1e-6,
                    $"{c} step {t} obs[{k}]: got {r.Observation[k]}, Gymnasium {expected.Obs[k]}");
            Assert.Equal(expected.Reward, r.Reward);
            Assert.Equal(expected.Terminated, r.Terminated);
            Assert.Equal(expected.Truncated, r.Truncated);
            if (t < c.Steps.Length - 1) Assert.False(r.Done, $"{c} ended early at step {t}");
        }
    }
}
