using RLRegularity.Agents.Buffers;
using RLRegularity.Envs.Core;

namespace RLRegularity.Agents.Common;

/// <summary>
/// Readers of the learner.state layouts written before episode statistics moved into the environments'
/// <see cref="RecordEpisodeStatistics"/> wrappers (ppo/1, dqn/1), so runs checkpointed then still resume and evaluate.
/// There, the learner kept each running episode's return and length and the env chain had no such wrapper.
/// </summary>
internal static class LegacyCheckpoints
{
    /// <summary>ppo/1 after the RNG: per copy (next_done, running return, running length), then, once started, the
    /// vector env's state with each copy's chain as it was below its now outermost wrapper.</summary>
    public static void ReadPpo1(BinaryReader reader, RolloutBuffer rollout, SyncVectorEnv envs, bool started)
    {
        var returns = new double[envs.Count];
        var lengths = new int[envs.Count];
        for (int e = 0; e < envs.Count; e++)
        {
            rollout.NextDone[e] = reader.ReadBoolean();
            returns[e] = reader.ReadDouble();
            lengths[e] = reader.ReadInt32();
        }
        if (!started) return;
        int count = reader.ReadInt32();
        if (count != envs.Count) throw new InvalidDataException($"saved vector environment has {count} copies, this one has {envs.Count}");
        for (int e = 0; e < envs.Count; e++) ReadBelowStatistics(reader, envs.Envs[e], returns[e], lengths[e]);
        for (int i = 0; i < envs.Observations.Length; i++) envs.Observations[i] = reader.ReadSingle();
        Array.Clear(envs.HasFinalObservation);
    }

    /// <summary>Reads an env chain's state written without its outermost <see cref="RecordEpisodeStatistics"/>, and gives
    /// that wrapper the running episode's return and length the learner had kept.</summary>
    public static void ReadBelowStatistics(BinaryReader reader, IEnv env, double runningReturn, int runningLength)
    {
        var statistics = env as RecordEpisodeStatistics
            ?? throw new InvalidOperationException("the environment's outermost wrapper must be RecordEpisodeStatistics");
        EnvState.Read(statistics.Inner, reader);
        statistics.ContinueEpisode(runningReturn, runningLength);
    }
}
