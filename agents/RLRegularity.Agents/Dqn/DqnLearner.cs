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

namespace RLRegularity.Agents.Dqn;

/// <summary>
/// Deep Q-learning (Mnih et al., 2015) on one environment, read top to bottom as CleanRL's <c>dqn.py</c>: ε-greedy
/// acting, a replay buffer, an online and a target network, and regression on the TD target. RN state traffic follows
/// SPEC 6.1/6.3: acting forwards update the online network's RN state (unless <see cref="DqnConfig.UpdateRnOnAct"/> is
/// false), the target network runs in training mode under no-grad with its own RN state, and the reward prior of
/// <c>rnr</c> applies only to the online training forward; the networks, these modes (<see cref="QNetworkMode"/>) and
/// where forwards run belong to the <see cref="DqnPolicy"/>. On MiniGrid images the Q-network is a <see cref="GridEncoder"/>
/// followed by the MLP (see <see cref="DqnConfig.Encoder"/>).
/// </summary>
public sealed class DqnLearner : ILearner, IPolicy
{
    private readonly DqnConfig _config;
    private readonly IEnv _env;
    private readonly long _seed;
    private readonly int _observationSize;
    private readonly int _actionCount;
    private readonly DqnPolicy _policy;
    private readonly DirectAdam _optimizer;
    private readonly ReplayBuffer _buffer;
    private readonly ReplayBatch _batch;
    private readonly EpsilonSchedule _epsilon;
    private readonly float[] _observation;
    private readonly float[] _qValues;
    private readonly double[] _targetNextQ;
    private readonly double[] _onlineNextQ;
    private readonly double[] _tdTargets;
    private readonly double[] _q;
    private readonly double[] _qGradients;
    private readonly LearnerPlasticity _plasticity;
    private Rng _rng;
    private bool _started;

    /// <summary>Builds the learner for <paramref name="env"/>; <paramref name="totalSteps"/> sets the linear ε schedule's length.
    /// <paramref name="probeEnvironment"/> makes a fresh copy of the environment for the plasticity diagnostics' probe
    /// batch; without it there are no diagnostics whatever <see cref="DqnConfig.DiagnosticsEvery"/> says.</summary>
    public DqnLearner(DqnConfig config, IEnv env, long seed, long totalSteps, Func<IEnv>? probeEnvironment = null)
    {
        ArgumentNullException.ThrowIfNull(config);
        ArgumentNullException.ThrowIfNull(env);
        if (seed < 0) throw new ArgumentOutOfRangeException(nameof(seed), seed, "seeds must be non-negative");
        _config = config;
        // Episode returns and lengths come from the env's infos, as CleanRL's; outermost, so truncations are seen.
        _env = env as RecordEpisodeStatistics ?? new RecordEpisodeStatistics(env);
        _seed = seed;
        _observationSize = env.ObservationSpace.FlatSize;
        _actionCount = env.ActionSpace.N;
        _rng = new Rng(seed, RngStreams.Learner);

        _policy = new DqnPolicy(config, env, seed);
        _optimizer = new DirectAdam(_policy.Online.parameters(), config.LearningRate, epsilon: config.AdamEpsilon);

        _buffer = new ReplayBuffer(config.BufferSize, _observationSize);
        _batch = new ReplayBatch(config.BatchSize, _observationSize);
        _epsilon = new EpsilonSchedule(config.EpsilonDecay, config.EpsilonStart, config.EpsilonEnd,
            (long)(config.ExplorationFraction * totalSteps), config.EpsilonDecayRate);
        _observation = new float[_observationSize];
        _qValues = new float[_actionCount];
        _targetNextQ = new double[config.BatchSize * _actionCount];
        _onlineNextQ = new double[config.BatchSize * _actionCount];
        _tdTargets = new double[config.BatchSize];
        _q = new double[config.BatchSize * _actionCount];
        _qGradients = new double[config.BatchSize * _actionCount];
        _plasticity = new LearnerPlasticity(_policy, _optimizer, seed, config.DiagnosticsEvery, config.DiagnosticsProbeSize,
            probeEnvironment, config.Intervention, config.InterventionOptions);
    }

    /// <summary>The plasticity intervention in use, or null for <c>none</c>.</summary>
    public PlasticityIntervention? Intervention => _plasticity.Intervention;

    public long GlobalStep { get; private set; }
    public long Episodes { get; private set; }
    public long Updates { get; private set; }
    public IReadOnlyList<string> UpdateColumns => DqnUpdateMetrics.Columns;
    public IPolicy Policy => this;
    public IEnumerable<(string Name, nn.Module Network)> PolicyNetworks => _policy.Networks;

    /// <summary>The online and target Q-networks being trained.</summary>
    public DqnPolicy QNetworks => _policy;

    /// <summary>ε at the current step.</summary>
    public double Epsilon => _epsilon.Value(GlobalStep, Episodes);

    public void LearnUntil(long untilStep, ITrainingObserver observer, CancellationToken cancellation)
    {
        if (!_started)
        {
            _env.Reset(_seed).Observation.AsSpan(0, _observationSize).CopyTo(_observation);
            _started = true;
        }
        var clock = Stopwatch.StartNew();
        long stepsAtStart = GlobalStep;
        while (GlobalStep < untilStep && !cancellation.IsCancellationRequested)
        {
            double epsilon = Epsilon;
            int action = _rng.NextDouble() < epsilon ? _rng.NextInt(_actionCount) : GreedyAction(_observation, QNetworkMode.Acting);
            StepResult r = _env.Step(action);
            GlobalStep++;
            // The true next observation is stored even when the episode ends, so truncations are bootstrapped.
            _buffer.Add(_observation, action, r.Reward, r.Observation, r.Terminated);
            if (r.Info.Episode is EpisodeStatistics episode)
            {
                Episodes++;
                observer.OnEpisode(new EpisodeRecord(GlobalStep, Episodes, episode.Return, episode.Length, new Dictionary<string, double>(r.Info.Values)));
                _env.Reset().Observation.AsSpan(0, _observationSize).CopyTo(_observation);
            }
            else
            {
                r.Observation.AsSpan(0, _observationSize).CopyTo(_observation);
            }

            if (GlobalStep > _config.LearningStarts && _buffer.Count >= _config.BatchSize)
            {
                if (GlobalStep % _config.TrainFrequency == 0)
                {
                    DqnUpdateMetrics metrics = LearnStep(epsilon) with
                    {
                        StepsPerSecond = (GlobalStep - stepsAtStart) / Math.Max(clock.Elapsed.TotalSeconds, 1e-9),
                    };
                    observer.OnUpdate(new UpdateRecord(GlobalStep, Updates, metrics.ToValues()));
                }
                if (_config.TargetUpdate == TargetUpdate.Hard && GlobalStep % _config.TargetUpdateInterval == 0)
                    _policy.UpdateTarget(_config.Tau);
            }
            _plasticity.AtEnvironmentStep(GlobalStep);
        }
    }

    // One gradient step on a replay minibatch; returns its metrics (sps filled by the caller).
    private DqnUpdateMetrics LearnStep(double epsilon)
    {
        DqnUpdateMetrics metrics;
        using (var scope = NewDisposeScope())
        {
            metrics = ComputeGradients(epsilon);
        }
        _optimizer.Step();
        _plasticity.AfterOptimizerStep(_batch.Observations, _batch.Size, _observationSize);
        if (_config.TargetUpdate == TargetUpdate.Soft) _policy.UpdateTarget(_config.Tau);
        Updates++;
        return metrics;
    }

    // Forward and backward on a replay minibatch; leaves the gradients on the parameters and returns the metrics.
    // The TD target and the loss are computed on the host (DqnLoss); autograd runs through the online network only.
    private DqnUpdateMetrics ComputeGradients(double epsilon)
    {
        _buffer.Sample(_rng, _batch);
        int b = _batch.Size;
        Tensor observations = tensor(_batch.Observations, [b, _observationSize]);
        Tensor nextObservations = tensor(_batch.NextObservations, [b, _observationSize]);

        _policy.NextQValues(nextObservations, _targetNextQ, _config.DoubleDqn ? _onlineNextQ : []);
        DqnLoss.TdTargets(_targetNextQ, _config.DoubleDqn ? _onlineNextQ : [], _actionCount, _batch.Rewards, _batch.Terminated,
            _config.Gamma, _tdTargets);

        _policy.SetMode(QNetworkMode.Learning);
        double priorNegLog = -0.0, priorCount = 0; // −0 + x is x: the sum begins at its first term, as LINQ's Average did
        if (_policy.UsesRewardPrior) priorCount = _policy.ApplyRewardPrior(_batch.Rewards, ref priorNegLog);
        Tensor q = _policy.OnlineQ(observations);
        TensorMemory.CopyToDoubles(q, _q);
        (double lossValue, double meanQ) = DqnLoss.Compute(_config.Loss, _q, _actionCount, _batch.Actions, _tdTargets, _qGradients);
        if (!double.IsFinite(lossValue))
            throw new TrainingDivergedException($"DQN loss became {lossValue} at step {GlobalStep} (update {Updates + 1})");
        _optimizer.ZeroGrad();
        autograd.backward([q], [TensorMemory.FromDoubles(_qGradients, b, _actionCount, q.dtype)]);
        _plasticity.AfterBackward();
        double gradNorm = _config.MaxGradNorm is double maxNorm ? _optimizer.ClipGradNorm(maxNorm) : double.NaN;
        return new DqnUpdateMetrics(lossValue, meanQ, _tdTargets.Average(), gradNorm, epsilon, _config.LearningRate,
            priorCount > 0 ? priorNegLog / priorCount : double.NaN, StepsPerSecond: 0);
    }

    // Greedy action of the online network in the given mode (acting forwards update RN state when UpdateRnOnAct).
    private int GreedyAction(ReadOnlySpan<float> observation, QNetworkMode mode)
    {
        _policy.SetMode(mode);
        return _policy.GreedyAction(observation, _qValues);
    }

    public int Act(ReadOnlySpan<float> observation, bool deterministic)
    {
        if (!deterministic && _rng.NextDouble() < _config.EpsilonEnd) return _rng.NextInt(_actionCount);
        return GreedyAction(observation, QNetworkMode.Evaluation);
    }

    public IReadOnlyList<RegularitySnapshot> RegularitySnapshots() => _policy.RegularitySnapshots();

    public int? DiagnosticsEvery => _plasticity.DiagnosticsEvery;

    // The online network's hidden layers on the probe batch, read through its grid encoder when it has one.
    public IReadOnlyList<LayerDiagnostics> Diagnostics() => _plasticity.Diagnostics();

    // dqn/2: the running episode's return and length moved from here into the env's RecordEpisodeStatistics state;
    // dqn/1 checkpoints still load (LegacyCheckpoints).
    private const string CheckpointFormat = "dqn/2", LegacyFormat = "dqn/1";

    public void SaveCheckpoint(string directory)
    {
        LearnerCheckpoint.Save(directory, CheckpointFormat, _policy.Networks, _optimizer, w =>
        {
            w.Write(GlobalStep); w.Write(Episodes); w.Write(Updates); w.Write(_started);
            EnvState.WriteRng(w, _rng.GetState());
            w.Write(_observation.Length);
            foreach (float v in _observation) w.Write(v);
            _buffer.Save(w);
            if (_started) EnvState.Write(_env, w);
        });
        _plasticity.Save(directory);
    }

    public void LoadCheckpoint(string directory)
    {
        LearnerCheckpoint.Load(directory, [CheckpointFormat, LegacyFormat], _policy.Networks, _optimizer, (r, format) =>
        {
            GlobalStep = r.ReadInt64(); Episodes = r.ReadInt64(); Updates = r.ReadInt64(); _started = r.ReadBoolean();
            (double runningReturn, int runningLength) = format == LegacyFormat ? (r.ReadDouble(), r.ReadInt32()) : (0, 0);
            _rng = Rng.FromState(EnvState.ReadRng(r));
            int length = r.ReadInt32();
            for (int i = 0; i < length; i++) _observation[i] = r.ReadSingle();
            _buffer.Load(r);
            if (!_started) return;
            if (format == LegacyFormat) LegacyCheckpoints.ReadBelowStatistics(r, _env, runningReturn, runningLength);
            else EnvState.Read(_env, r);
        });
        _plasticity.Load(directory);
        _policy.ForgetMode();
    }

    public void Dispose()
    {
        _policy.Dispose();
        _env.Dispose();
    }
}
