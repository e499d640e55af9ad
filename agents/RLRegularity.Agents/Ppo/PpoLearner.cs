using System.Diagnostics;
using RLRegularity.Agents.Buffers;
using RLRegularity.Agents.Common;
using RLRegularity.Agents.Interventions;
using RLRegularity.Agents.Policies;
using RLRegularity.Envs.Core;
using RLRegularity.Networks;
using RLRegularity.Normalization;
using RLRegularity.Optimization;
using RLRegularity.Tensors;
using static TorchSharp.torch;
using TensorPrimitives = System.Numerics.Tensors.TensorPrimitives;

namespace RLRegularity.Agents.Ppo;

/// <summary>
/// Proximal Policy Optimization with a synchronous vector environment, read top to bottom as CleanRL's <c>ppo.py</c>:
/// rollouts of NumEnvs × NumSteps into a <see cref="RolloutBuffer"/>, GAE(λ), then epochs of shuffled minibatches with
/// the clipped surrogate and value losses, entropy bonus, gradient-norm clipping and learning-rate annealing. The
/// networks, their modes and where they run belong to the <see cref="ActorCritic"/> policy. RN modes follow SPEC 6.3:
/// rollouts and bootstrap values run in <see cref="ActorCriticMode.Rollout"/>, update minibatches in <see cref="ActorCriticMode.Update"/>.
/// </summary>
public sealed class PpoLearner : ILearner, IPolicy
{
    private readonly PpoConfig _config;
    private readonly SyncVectorEnv _envs;
    private readonly long _seed;
    private readonly long _totalSteps;
    private readonly int _numEnvs;
    private readonly int _actionCount;
    private readonly ActorCritic _policy;
    private readonly DirectAdam _optimizer;
    private readonly PpoLossSettings _lossSettings;
    private readonly RolloutBuffer _rollout;
    private readonly RolloutMinibatch _minibatch;
    // Scratch, allocated once: rollout log-probabilities and actions, bootstrap values, and the host-side loss's inputs and gradients.
    private readonly float[] _logProbs;
    private readonly int[] _actions;
    private readonly float[] _nextValues;
    private readonly float[] _singleValue = new float[1];
    private readonly float[] _actLogProbs;
    private readonly double[] _mbLogits;
    private readonly double[] _mbNewValues;
    private readonly double[] _mbLogitGradients;
    private readonly double[] _mbValueGradients;
    private readonly LearnerPlasticity _plasticity;
    private Rng _rng;
    private bool _started;

    /// <summary>Builds the learner over <paramref name="envs"/>; <paramref name="totalSteps"/> sets the annealing schedule.
    /// <paramref name="probeEnvironment"/> makes a fresh copy of the environment for the plasticity diagnostics' probe
    /// batch; without it there are no diagnostics whatever <see cref="PpoConfig.DiagnosticsEvery"/> says.</summary>
    public PpoLearner(PpoConfig config, SyncVectorEnv envs, long seed, long totalSteps, Func<IEnv>? probeEnvironment = null)
    {
        ArgumentNullException.ThrowIfNull(config);
        ArgumentNullException.ThrowIfNull(envs);
        if (seed < 0) throw new ArgumentOutOfRangeException(nameof(seed), seed, "seeds must be non-negative");
        if (envs.Count != config.NumEnvs)
            throw new ArgumentException($"the vector environment has {envs.Count} copies but num_envs is {config.NumEnvs}", nameof(envs));
        int batch = config.NumEnvs * config.NumSteps;
        if (batch % config.NumMinibatches != 0)
            throw new ArgumentException($"num_envs × num_steps = {batch} is not divisible by num_minibatches = {config.NumMinibatches}");
        _config = config;
        _envs = envs;
        _envs.RecordEpisodeStatistics(); // episode returns and lengths come from the env's infos, as CleanRL's

        _seed = seed;
        _totalSteps = totalSteps;
        _numEnvs = config.NumEnvs;
        _actionCount = envs.SingleActionSpace.N;
        _rng = new Rng(seed, RngStreams.Learner);
        _policy = new ActorCritic(config, envs.Envs[0], seed);
        _optimizer = new DirectAdam(_policy.Parameters, config.LearningRate, epsilon: config.AdamEpsilon);
        _lossSettings = new PpoLossSettings(config.ClipCoef, config.ClipValueLoss, config.EntropyCoef, config.ValueCoef);
        _rollout = new RolloutBuffer(config.NumSteps, _numEnvs, envs.ObservationSize);
        _minibatch = new RolloutMinibatch(batch / config.NumMinibatches, envs.ObservationSize);
        _logProbs = new float[_numEnvs * _actionCount];
        _actions = new int[_numEnvs];
        _nextValues = new float[_numEnvs];
        _actLogProbs = new float[_actionCount];
        _mbLogits = new double[_minibatch.Size * _actionCount];
        _mbNewValues = new double[_minibatch.Size];
        _mbLogitGradients = new double[_minibatch.Size * _actionCount];
        _mbValueGradients = new double[_minibatch.Size];
        _plasticity = new LearnerPlasticity(_policy, _optimizer, seed, config.DiagnosticsEvery, config.DiagnosticsProbeSize,
            probeEnvironment, config.Intervention, config.InterventionOptions);
    }

    /// <summary>The plasticity intervention in use, or null for <c>none</c>.</summary>
    public PlasticityIntervention? Intervention => _plasticity.Intervention;

    public long GlobalStep { get; private set; }
    public long Episodes { get; private set; }
    public long Updates { get; private set; }
    public IReadOnlyList<string> UpdateColumns => PpoUpdateMetrics.Columns;
    public IPolicy Policy => this;
    public IEnumerable<(string Name, nn.Module Network)> PolicyNetworks => _policy.Networks;

    /// <summary>The actor-critic being trained.</summary>
    public ActorCritic ActorCritic => _policy;

    /// <summary>The encoder in use: <see cref="ObservationEncoder.Grid"/> or <see cref="ObservationEncoder.Mlp"/> (auto resolved).</summary>
    public ObservationEncoder Encoder => _policy.Encoder;

    /// <summary>Total number of updates the run will make.</summary>
    private long UpdateCount => Math.Max(1, _totalSteps / _rollout.Size);

    public void LearnUntil(long untilStep, ITrainingObserver observer, CancellationToken cancellation)
    {
        if (!_started)
        {
            _envs.Reset(_seed);
            _started = true;
        }
        var clock = Stopwatch.StartNew();
        long stepsAtStart = GlobalStep;
        while (GlobalStep < untilStep && !cancellation.IsCancellationRequested)
        {
            double learningRate = _config.LearningRate;
            if (_config.AnnealLearningRate) learningRate *= Math.Max(0.0, 1.0 - Updates / (double)UpdateCount);
            _optimizer.LearningRate = learningRate;

            Rollout(observer);
            ComputeAdvantages();
            PpoUpdateMetrics metrics = Update(learningRate) with
            {
                StepsPerSecond = (GlobalStep - stepsAtStart) / Math.Max(clock.Elapsed.TotalSeconds, 1e-9),
            };
            _plasticity.AtEnvironmentStep(GlobalStep);
            observer.OnUpdate(new UpdateRecord(GlobalStep, Updates, metrics.ToValues()));
        }
    }

    private void Rollout(ITrainingObserver observer)
    {
        _policy.SetMode(ActorCriticMode.Rollout);
        for (int step = 0; step < _config.NumSteps; step++)
        {
            _rollout.StartStep(step, _envs.Observations);
            _policy.Predict(_envs.Observations, _numEnvs, _logProbs, _rollout.StepValues(step));
            for (int e = 0; e < _numEnvs; e++)
            {
                int action = ActorCritic.SampleCategorical(_logProbs.AsSpan(e * _actionCount, _actionCount), _rng);
                _actions[e] = action;
                _rollout.AddAction(step, e, action, _logProbs[e * _actionCount + action]);
            }

            _envs.Step(_actions);
            GlobalStep += _numEnvs;
            for (int e = 0; e < _numEnvs; e++)
            {
                double reward = _envs.Rewards[e];
                bool done = _envs.Terminated[e] || _envs.Truncated[e];
                double bootstrapped = reward;
                if (_envs.Truncated[e] && !_envs.Terminated[e] && _config.BootstrapTruncated)
                    bootstrapped += _config.Gamma * FinalValue(e);
                _rollout.AddReward(step, e, reward, bootstrapped, done);
                if (_envs.Infos[e].Episode is EpisodeStatistics episode)
                {
                    Episodes++;
                    observer.OnEpisode(new EpisodeRecord(GlobalStep, Episodes, episode.Return, episode.Length,
                        new Dictionary<string, double>(_envs.Infos[e].Values)));
                }
            }
        }
    }

    // V(final observation of copy e), for bootstrapping a truncated episode.
    private double FinalValue(int e)
    {
        _policy.Predict(_envs.FinalObservations.AsSpan(e * _envs.ObservationSize, _envs.ObservationSize), 1, [], _singleValue);
        return _singleValue[0];
    }

    // GAE(λ) bootstrapped from V of the observations the next rollout starts from.
    private void ComputeAdvantages()
    {
        _policy.SetMode(ActorCriticMode.Rollout);
        _policy.Predict(_envs.Observations, _numEnvs, [], _nextValues);
        _rollout.ComputeReturnsAndAdvantages(_nextValues, _config.Gamma, _config.GaeLambda);
    }

    // CleanRL's update: epochs of shuffled minibatches over the rollout, with its target_kl rule (see PpoConfig.TargetKl).
    private PpoUpdateMetrics Update(double learningRate)
    {
        _policy.SetMode(ActorCriticMode.Update);
        _rollout.ResetOrder();
        var sums = new PpoUpdateSums();
        for (int epoch = 0; epoch < _config.UpdateEpochs; epoch++)
        {
            _rollout.Shuffle(_rng);
            double approxKl = 0;
            for (int mb = 0; mb < _config.NumMinibatches; mb++) approxKl = TrainMinibatch(mb, ref sums);
            if (_config.TargetKl is double targetKl && approxKl > targetKl) break;
        }
        Updates++;
        return sums.Average(_rollout.ExplainedVariance(), learningRate);
    }

    // One gradient step on minibatch mb of the current order; returns its approximate KL.
    private double TrainMinibatch(int mb, ref PpoUpdateSums sums)
    {
        PpoLossValues loss;
        double gradNorm;
        using (var scope = NewDisposeScope())
        {
            _rollout.Gather(mb, _minibatch, _config.RewardPriorSource);
            int m = _minibatch.Size;
            if (_config.NormalizeAdvantages) PpoLoss.NormalizeAdvantages(_minibatch.Advantages);
            if (_policy.UsesRewardPrior) sums.PriorCount += _policy.ApplyRewardPrior(_minibatch.PriorSource, ref sums.PriorNegLog);

            // Autograd runs through the networks only; the loss and its gradient w.r.t. their outputs are computed on the host.
            (Tensor logits, Tensor values) = _policy.Forward(tensor(_minibatch.Observations, [m, _minibatch.ObservationSize]));
            TensorMemory.CopyToDoubles(logits, _mbLogits);
            TensorMemory.CopyToDoubles(values, _mbNewValues);
            loss = PpoLoss.Compute(_lossSettings, _actionCount, _mbLogits, _mbNewValues, _minibatch.Actions, _minibatch.LogProbs,
                _minibatch.Advantages, _minibatch.Returns, _minibatch.Values, _mbLogitGradients, _mbValueGradients);
            if (!double.IsFinite(loss.Loss))
                throw new TrainingDivergedException($"PPO loss became {loss.Loss} at step {GlobalStep} (update {Updates + 1})");
            _optimizer.ZeroGrad();
            TorchSharp.torch.autograd.backward([logits, values],
                [TensorMemory.FromDoubles(_mbLogitGradients, m, _actionCount, logits.dtype), TensorMemory.FromDoubles(_mbValueGradients, m, 1, values.dtype)]);
            _plasticity.AfterBackward();
            gradNorm = _optimizer.ClipGradNorm(_config.MaxGradNorm);
        }
        _optimizer.Step();
        _plasticity.AfterOptimizerStep(_minibatch.Observations, _minibatch.Size, _minibatch.ObservationSize);
        sums.Add(loss, gradNorm);
        return loss.ApproxKl;
    }

    public int Act(ReadOnlySpan<float> observation, bool deterministic)
    {
        _policy.SetMode(ActorCriticMode.Rollout);
        _policy.Predict(observation, 1, _actLogProbs, []);
        return deterministic ? TensorPrimitives.IndexOfMax<float>(_actLogProbs) : ActorCritic.SampleCategorical(_actLogProbs, _rng);
    }

    public IReadOnlyList<RegularitySnapshot> RegularitySnapshots() => _policy.RegularitySnapshots();

    public int? DiagnosticsEvery => _plasticity.DiagnosticsEvery;

    // The heads' hidden layers on the probe batch, read through the shared encoder when there is one.
    public IReadOnlyList<LayerDiagnostics> Diagnostics() => _plasticity.Diagnostics();

    // ppo/2: the running episodes' return and length moved from here into each copy's RecordEpisodeStatistics state;
    // ppo/1 checkpoints still load (LegacyCheckpoints).
    private const string CheckpointFormat = "ppo/2", LegacyFormat = "ppo/1";

    public void SaveCheckpoint(string directory)
    {
        LearnerCheckpoint.Save(directory, CheckpointFormat, _policy.Networks, _optimizer, w =>
        {
            w.Write(GlobalStep); w.Write(Episodes); w.Write(Updates); w.Write(_started);
            EnvState.WriteRng(w, _rng.GetState());
            _rollout.WriteState(w);
            if (_started) _envs.WriteState(w);
        });
        _plasticity.Save(directory);
    }

    public void LoadCheckpoint(string directory)
    {
        LearnerCheckpoint.Load(directory, [CheckpointFormat, LegacyFormat], _policy.Networks, _optimizer, (r, format) =>
        {
            GlobalStep = r.ReadInt64(); Episodes = r.ReadInt64(); Updates = r.ReadInt64(); _started = r.ReadBoolean();
            _rng = Rng.FromState(EnvState.ReadRng(r));
            if (format == LegacyFormat)
            {
                LegacyCheckpoints.ReadPpo1(r, _rollout, _envs, _started);
                return;
            }
            _rollout.ReadState(r);
            if (_started) _envs.ReadState(r);
        });
        _plasticity.Load(directory);
        _policy.ForgetMode();
    }

    public void Dispose()
    {
        _policy.Dispose();
        _envs.Dispose();
    }
}
