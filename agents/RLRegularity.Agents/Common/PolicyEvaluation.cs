using System.Text.Json.Nodes;
using RLRegularity.Envs.Core;
using RLRegularity.Envs.NonStationary;
using RLRegularity.Logging;
using RLRegularity.Records;
using TorchSharp;

namespace RLRegularity.Agents.Common;

/// <summary>
/// Evaluation during training (Stable-Baselines3's EvalCallback): after the first update at or past every
/// <see cref="RunSettings.EvalEvery"/> steps, the greedy policy plays <see cref="RunSettings.EvalEpisodes"/> episodes on a
/// separate environment copy, logged to evals.csv and TensorBoard. It acts through a second learner that receives the
/// trained networks' parameters and state first, so evaluating never touches the training run: a run with evaluations
/// has the same episodes and updates as one without. Episode i of every evaluation is seeded
/// <see cref="SeedBase"/> + 1000 × seed + i, so evaluations compare the policy on the same starts; a non-stationary
/// task is held at the training step being evaluated.
/// </summary>
internal sealed class PolicyEvaluation : ITrainingObserver, IDisposable
{
    /// <summary>The first evaluation seed, far from the training seeds users pick.</summary>
    public const long SeedBase = 1_000_000_000;

    private readonly RunSettings _settings;
    private readonly JsonObject _agentConfig;
    private readonly ILearner _learner;
    private readonly TensorBoardLog _tensorBoard;
    private readonly CsvLog _log;
    private ILearner? _copy;
    private IEnv? _env;

    public PolicyEvaluation(RunFolder folder, RunSettings settings, JsonObject agentConfig, ILearner learner, TensorBoardLog tensorBoard, RunState? resumedFrom)
    {
        (_settings, _agentConfig, _learner, _tensorBoard) = (settings, agentConfig, learner, tensorBoard);
        _log = new CsvLog(folder.File(RunFolder.EvalsFile), CsvSchema<EvalRow>.Columns, resumedFrom?.EvalsCsvLength);
        LastStep = resumedFrom?.LastEvaluationStep ?? 0;
        Evaluations = resumedFrom?.EvalsCsvLength is null ? 0 : Math.Max(0, File.ReadLines(folder.File(RunFolder.EvalsFile)).Count() - 1);
    }

    /// <summary>The training step of the last evaluation (0 before the first).</summary>
    public long LastStep { get; private set; }

    /// <summary>Evaluations so far.</summary>
    public long Evaluations { get; private set; }

    /// <summary>evals.csv's length in bytes (for a checkpoint).</summary>
    public long CsvLength => _log.Length;

    public void OnEpisode(EpisodeRecord episode) { }

    public void OnUpdate(UpdateRecord update)
    {
        long every = _settings.EvalEvery!.Value;
        if (update.GlobalStep / every > LastStep / every) Evaluate(update.GlobalStep);
    }

    private void Evaluate(long step)
    {
        _copy ??= AgentFactory.Create(_settings.Agent, _settings.Env, _agentConfig, _settings.Seed, _settings.Steps);
        _env ??= EnvRegistry.Make(_settings.Env);
        CopyNetworks(_learner, _copy);
        if (_env.Find<NonStationaryWrapper>() is { } schedule) schedule.HeldAt = step;
        int n = _settings.EvalEpisodes;
        var returns = new double[n];
        var lengths = new double[n];
        for (int i = 0; i < n; i++)
        {
            float[] observation = _env.Reset(checked(SeedBase + 1000 * _settings.Seed + i)).Observation;
            while (true)
            {
                StepResult r = _env.Step(_copy.Policy.Act(observation, deterministic: true));
                returns[i] += r.Reward;
                lengths[i]++;
                if (r.Done) break;
                observation = r.Observation;
            }
        }
        double mean = returns.Average();
        double std = Math.Sqrt(returns.Average(x => (x - mean) * (x - mean)));
        Evaluations++;
        LastStep = step;
        _log.Write(new EvalRow(step, Evaluations, mean, std, lengths.Average(), n));
        _tensorBoard.Scalar("eval/mean_return", mean, step);
        _tensorBoard.Scalar("eval/mean_length", lengths.Average(), step);
    }

    // Parameters and registered state (RN's statistics and COMP among them), copied in place by name.
    private static void CopyNetworks(ILearner from, ILearner to)
    {
        var sources = from.PolicyNetworks.ToDictionary(n => n.Name, n => n.Network);
        using var _ = torch.no_grad();
        foreach (var (name, target) in to.PolicyNetworks)
        {
            torch.nn.Module source = sources[name];
            var sourceTensors = source.named_parameters().Select(p => (p.name, (torch.Tensor)p.parameter))
                .Concat(source.named_buffers()).ToDictionary(t => t.Item1, t => t.Item2);
            foreach (var (key, tensor) in target.named_parameters().Select(p => (p.name, (torch.Tensor)p.parameter)).Concat(target.named_buffers()))
                tensor.copy_(sourceTensors[key]);
        }
    }

    public void Dispose()
    {
        _log.Dispose();
        _copy?.Dispose();
        _env?.Dispose();
    }
}
