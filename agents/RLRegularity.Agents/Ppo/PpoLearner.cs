using System.Diagnostics;
using RLRegularity.Agents.Buffers;
using RLRegularity.Agents.Common;
using RLRegularity.Envs.Core;
using RLRegularity.Networks;
using RLRegularity.Normalization;
using RLRegularity.Optimization;
using TorchSharp;
using static TorchSharp.torch;
using TensorPrimitives = System.Numerics.Tensors.TensorPrimitives;

namespace RLRegularity.Agents.Ppo;

/// <summary>
/// Proximal Policy Optimization with a synchronous vector environment, read top to bottom as CleanRL's <c>ppo.py</c>:
/// rollouts of NumEnvs × NumSteps, GAE(λ), clipped surrogate and value losses, entropy bonus, minibatch epochs,
/// gradient-norm clipping and learning-rate annealing. Separate actor and critic heads; on MiniGrid images both read
/// one shared <see cref="GridEncoder"/> (see <see cref="PpoConfig.Encoder"/>), as rl-starter-files' <c>ACModel</c>.
/// RN modes follow SPEC 6.3: rollouts and bootstrap values run in eval mode with the current RN state; update
/// minibatches run in training mode.
/// </summary>
public sealed class PpoLearner : ILearner, IPolicy
{
    private static readonly string[] Columns =
        ["policy_loss", "value_loss", "entropy", "approx_kl", "clip_fraction", "explained_variance", "grad_norm", "learning_rate", "prior_neg_log_mean", "sps"];

    private readonly PpoConfig _config;
    private readonly SyncVectorEnv _envs;
    private readonly long _seed;
    private readonly long _totalSteps;
    private readonly int _obsSize;
    private readonly int _actionCount;
    private readonly int _numEnvs;
    private readonly int _numSteps;
    private readonly int _batchSize;
    private readonly int _minibatchSize;
    private readonly GridEncoder? _encoder;
    private readonly Mlp _actor;
    private readonly Mlp _critic;
    private readonly DirectAdam _optimizer;
    private readonly PpoLossSettings _lossSettings;
    private readonly IReadOnlyList<IRegularityLayer> _actorRn;
    private readonly IReadOnlyList<IRegularityLayer> _criticRn;
    private readonly List<TorchSharp.Modules.Parameter> _parameters;
    // C# forms of the heads for rollouts and bootstrap values (null: libtorch; see PpoConfig.HostInference).
    private readonly HostMlp? _hostActor;
    private readonly HostMlp? _hostCritic;
    private readonly float[] _singleValue = new float[1];
    private readonly float[] _actLogProbs;

    private readonly RolloutBuffer _rollout;
    private readonly RolloutMinibatch _minibatch;
    private readonly double[] _episodeReturns;
    private readonly int[] _episodeLengths;
    private readonly float[] _logitsBuffer;
    private readonly float[] _nextValues;
    private readonly double[] _mbLogits;
    private readonly double[] _mbNewValues;
    private readonly double[] _mbLogitGradients;
    private readonly double[] _mbValueGradients;
    private readonly int[] _actionBuffer;
    private Rng _rng;
    private bool _started;
    private string _mode = "";

    /// <summary>Builds the learner over <paramref name="envs"/>; <paramref name="totalSteps"/> sets the annealing schedule.</summary>
    public PpoLearner(PpoConfig config, SyncVectorEnv envs, long seed, long totalSteps)
    {
        ArgumentNullException.ThrowIfNull(config);
        ArgumentNullException.ThrowIfNull(envs);
        if (seed < 0) throw new ArgumentOutOfRangeException(nameof(seed), seed, "seeds must be non-negative");
        if (envs.Count != config.NumEnvs)
            throw new ArgumentException($"the vector environment has {envs.Count} copies but num_envs is {config.NumEnvs}", nameof(envs));
        int batch = config.NumEnvs * config.NumSteps;
        if (batch % config.NumMinibatches != 0)
            throw new ArgumentException($"num_envs × num_steps = {batch} is not divisible by num_minibatches = {config.NumMinibatches}");
        Normalizers.Validate(config.Normalizer);
        _config = config;
        _envs = envs;
        _seed = seed;
        _totalSteps = totalSteps;
        _obsSize = envs.ObservationSize;
        _actionCount = envs.SingleActionSpace.N;
        _numEnvs = config.NumEnvs;
        _numSteps = config.NumSteps;
        _batchSize = batch;
        _minibatchSize = batch / config.NumMinibatches;
        _rng = new Rng(seed, RngStreams.Learner);

        (_encoder, _actor, _critic) = TorchRuntime.Seeded(seed, () =>
        {
            GridEncoder? encoder = ObservationEncoders.Create(config.Encoder, envs.Envs[0], config.GridObservationScale);
            int features = encoder?.OutputSize ?? _obsSize;
            var actor = new Mlp(new MlpSpec(features, config.HiddenSizes, _actionCount, config.Activation, config.Normalizer,
                config.NormalizerOptions, NormalizeOutput: config.RnOnOutputs));
            var critic = new Mlp(new MlpSpec(features, config.HiddenSizes, 1, config.Activation, config.Normalizer,
                config.NormalizerOptions, NormalizeOutput: config.RnOnOutputs));
            switch (config.Init)
            {
                case LinearInit.Orthogonal:
                    OrthogonalInit(actor, outputGain: 0.01);
                    OrthogonalInit(critic, outputGain: 1.0);
                    break;
                case LinearInit.NormalRows:
                    NormalRowsInit(actor);
                    NormalRowsInit(critic);
                    break;
            }
            return (encoder, actor, critic);
        });
        if (config.HostInference && _encoder is null && HostMlp.TryCreate(_actor) is { } hostActor && HostMlp.TryCreate(_critic) is { } hostCritic)
            (_hostActor, _hostCritic) = (hostActor, hostCritic);
        _actorRn = RegularityLayers.Find(_actor);
        _criticRn = RegularityLayers.Find(_critic);
        // The shared encoder's parameters are listed once, so Adam and the gradient-norm clip see each tensor once.
        _parameters = [.. _encoder?.parameters() ?? [], .. _actor.parameters(), .. _critic.parameters()];
        _optimizer = new DirectAdam(_parameters, config.LearningRate, epsilon: config.AdamEpsilon);
        _lossSettings = new PpoLossSettings(config.ClipCoef, config.ClipValueLoss, config.EntropyCoef, config.ValueCoef);

        _rollout = new RolloutBuffer(_numSteps, _numEnvs, _obsSize);
        _minibatch = new RolloutMinibatch(_minibatchSize, _obsSize);
        _nextValues = new float[_numEnvs];
        _episodeReturns = new double[_numEnvs];
        _episodeLengths = new int[_numEnvs];
        _logitsBuffer = new float[_numEnvs * _actionCount];
        _mbLogits = new double[_minibatchSize * _actionCount];
        _mbNewValues = new double[_minibatchSize];
        _mbLogitGradients = new double[_minibatchSize * _actionCount];
        _mbValueGradients = new double[_minibatchSize];
        _actionBuffer = new int[_numEnvs];
        _actLogProbs = new float[_actionCount];
    }

    public long GlobalStep { get; private set; }
    public long Episodes { get; private set; }
    public long Updates { get; private set; }
    public IReadOnlyList<string> UpdateColumns => Columns;
    public IPolicy Policy => this;

    /// <summary>The encoder in use: <see cref="ObservationEncoder.Grid"/> or <see cref="ObservationEncoder.Mlp"/> (auto resolved).</summary>
    public ObservationEncoder Encoder => _encoder is null ? ObservationEncoder.Mlp : ObservationEncoder.Grid;

    // What the heads read: the grid encoder's features, or the flat observation itself.
    private Tensor Features(Tensor observations) => _encoder is null ? observations : _encoder.forward(observations);

    /// <summary>Total number of updates the run will make.</summary>
    private long UpdateCount => Math.Max(1, _totalSteps / _batchSize);

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
            double[] metrics = Update(learningRate);
            metrics[^1] = (GlobalStep - stepsAtStart) / Math.Max(clock.Elapsed.TotalSeconds, 1e-9);
            observer.OnUpdate(new UpdateRecord(GlobalStep, Updates, metrics));
        }
    }

    private void Rollout(ITrainingObserver observer)
    {
        SetMode("rollout");
        for (int step = 0; step < _numSteps; step++)
        {
            _rollout.StartStep(step, _envs.Observations);

            if (_hostActor is not null && _hostCritic is not null)
            {
                _hostActor.Forward(_envs.Observations, _numEnvs, _logitsBuffer);
                LogSoftmaxRows(_logitsBuffer, _actionCount);
                _hostCritic.Forward(_envs.Observations, _numEnvs, _rollout.StepValues(step));
            }
            else
            {
                using var scope = NewDisposeScope();
                using var noGrad = no_grad();
                Tensor x = Features(tensor(_envs.Observations, [_numEnvs, _obsSize]));
                Tensor logProbs = nn.functional.log_softmax(_actor.forward(x), 1);
                Tensor values = _critic.forward(x);
                logProbs.data<float>().CopyTo(_logitsBuffer);
                values.data<float>().CopyTo(_rollout.StepValues(step));
            }
            for (int e = 0; e < _numEnvs; e++)
            {
                int action = SampleCategorical(_logitsBuffer.AsSpan(e * _actionCount, _actionCount));
                _actionBuffer[e] = action;
                _rollout.AddAction(step, e, action, _logitsBuffer[e * _actionCount + action]);
            }

            _envs.Step(_actionBuffer);
            GlobalStep += _numEnvs;
            for (int e = 0; e < _numEnvs; e++)
            {
                double reward = _envs.Rewards[e];
                _episodeReturns[e] += reward;
                _episodeLengths[e]++;
                bool done = _envs.Terminated[e] || _envs.Truncated[e];
                double bootstrapped = reward;
                if (_envs.Truncated[e] && !_envs.Terminated[e] && _config.BootstrapTruncated)
                    bootstrapped += _config.Gamma * FinalValue(e);
                _rollout.AddReward(step, e, reward, bootstrapped, done);
                if (done)
                {
                    Episodes++;
                    observer.OnEpisode(new EpisodeRecord(GlobalStep, Episodes, _episodeReturns[e], _episodeLengths[e],
                        new Dictionary<string, double>(_envs.Infos[e].Values)));
                    _episodeReturns[e] = 0;
                    _episodeLengths[e] = 0;
                }
            }
        }
    }

    // V(final observation of copy e), for bootstrapping a truncated episode.
    private double FinalValue(int e)
    {
        if (_hostCritic is not null)
        {
            _hostCritic.Forward(_envs.FinalObservations.AsSpan(e * _obsSize, _obsSize), 1, _singleValue);
            return _singleValue[0];
        }
        using var scope = NewDisposeScope();
        using var noGrad = no_grad();
        Tensor x = tensor(_envs.FinalObservations.AsSpan(e * _obsSize, _obsSize).ToArray(), [1, _obsSize]);
        return _critic.forward(Features(x)).item<float>();
    }

    private int SampleCategorical(ReadOnlySpan<float> logProbs)
    {
        double u = _rng.NextDouble(), cumulative = 0;
        for (int a = 0; a < logProbs.Length; a++)
        {
            cumulative += Math.Exp(logProbs[a]);
            if (u < cumulative) return a;
        }
        return logProbs.Length - 1; // rounding left u above the total
    }

    // GAE(λ) bootstrapped from V of the observations the next rollout starts from.
    private void ComputeAdvantages()
    {
        SetMode("rollout");
        if (_hostCritic is not null)
        {
            _hostCritic.Forward(_envs.Observations, _numEnvs, _nextValues);
        }
        else
        {
            using var scope = NewDisposeScope();
            using var noGrad = no_grad();
            _critic.forward(Features(tensor(_envs.Observations, [_numEnvs, _obsSize]))).data<float>().CopyTo(_nextValues);
        }
        _rollout.ComputeReturnsAndAdvantages(_nextValues, _config.Gamma, _config.GaeLambda);
    }

    private double[] Update(double learningRate)
    {
        SetMode("update");
        _rollout.ResetOrder();
        double policyLossSum = 0, valueLossSum = 0, entropySum = 0, klSum = 0, clipSum = 0, gradNormSum = 0, priorSum = 0;
        int minibatches = 0, priorCount = 0;
        bool stop = false;
        for (int epoch = 0; epoch < _config.UpdateEpochs && !stop; epoch++)
        {
            _rollout.Shuffle(_rng);
            for (int mb = 0; mb < _config.NumMinibatches; mb++)
            {
                double approxKl;
                using (var scope = NewDisposeScope())
                {
                    _rollout.Gather(mb, _minibatch, _config.RewardPriorSource);
                    int m = _minibatchSize;
                    if (_config.NormalizeAdvantages) PpoLoss.NormalizeAdvantages(_minibatch.Advantages);
                    if (_config.Normalizer == "rnr")
                    {
                        double[] prior = RewardPrior.FromRewards(_minibatch.PriorSource, _config.RewardPriorBinning);
                        foreach (double s in prior) priorSum += -Math.Log(s);
                        priorCount += prior.Length;
                        Tensor priorTensor = tensor(prior, [m]);
                        if (_config.RewardPriorOn is RewardPriorTarget.Critic or RewardPriorTarget.Both) RegularityLayers.SetPrior(_critic, priorTensor);
                        if (_config.RewardPriorOn is RewardPriorTarget.Actor or RewardPriorTarget.Both) RegularityLayers.SetPrior(_actor, priorTensor);
                    }

                    // Autograd runs through the networks only; the loss and its gradient w.r.t. their outputs are computed on the host.
                    Tensor features = Features(tensor(_minibatch.Observations, [m, _obsSize]));
                    Tensor logits = _actor.forward(features);
                    Tensor values = _critic.forward(features);
                    TensorMemory.CopyToDoubles(logits, _mbLogits);
                    TensorMemory.CopyToDoubles(values, _mbNewValues);
                    PpoLossValues loss = PpoLoss.Compute(_lossSettings, _actionCount, _mbLogits, _mbNewValues, _minibatch.Actions, _minibatch.LogProbs,
                        _minibatch.Advantages, _minibatch.Returns, _minibatch.Values, _mbLogitGradients, _mbValueGradients);
                    if (!double.IsFinite(loss.Loss))
                        throw new TrainingDivergedException($"PPO loss became {loss.Loss} at step {GlobalStep} (update {Updates + 1})");
                    _optimizer.ZeroGrad();
                    autograd.backward([logits, values],
                        [TensorMemory.FromDoubles(_mbLogitGradients, m, _actionCount, logits.dtype), TensorMemory.FromDoubles(_mbValueGradients, m, 1, values.dtype)]);
                    gradNormSum += _optimizer.ClipGradNorm(_config.MaxGradNorm);
                    approxKl = loss.ApproxKl;
                    clipSum += loss.ClipFraction;
                    policyLossSum += loss.PolicyLoss;
                    valueLossSum += loss.ValueLoss;
                    entropySum += loss.Entropy;
                }
                _optimizer.Step();
                klSum += approxKl;
                minibatches++;
                if (_config.TargetKl is double targetKl && approxKl > targetKl) stop = true;
            }
        }
        Updates++;
        double n = Math.Max(1, minibatches);
        return [policyLossSum / n, valueLossSum / n, entropySum / n, klSum / n, clipSum / n, _rollout.ExplainedVariance(), gradNormSum / n,
                learningRate, priorCount > 0 ? priorSum / priorCount : double.NaN, 0];
    }

    // Rollouts: modules in eval mode, RN reading its current state without updating it; updates: training mode.
    private void SetMode(string mode)
    {
        if (_mode == mode) return;
        bool training = mode == "update";
        _encoder?.train(training);
        _actor.train(training);
        _critic.train(training);
        var rn = training ? RegularityMode.FollowModule : RegularityMode.Eval;
        foreach (IRegularityLayer layer in _actorRn) layer.ModeOverride = rn;
        foreach (IRegularityLayer layer in _criticRn) layer.ModeOverride = rn;
        _mode = mode;
    }

    private static void OrthogonalInit(Mlp network, double outputGain)
    {
        var linears = network.modules().OfType<TorchSharp.Modules.Linear>().ToList();
        using var noGrad = no_grad();
        for (int i = 0; i < linears.Count; i++)
        {
            nn.init.orthogonal_(linears[i].weight!, i == linears.Count - 1 ? outputGain : Math.Sqrt(2));
            if (linears[i].bias is { } bias) nn.init.zeros_(bias);
        }
    }

    // rl-starter-files' init_params: every linear weight N(0, 1) with each output row scaled to unit norm, biases zero.
    private static void NormalRowsInit(Mlp network)
    {
        using var noGrad = no_grad();
        foreach (var linear in network.modules().OfType<TorchSharp.Modules.Linear>())
        {
            Tensor weight = linear.weight!;
            weight.normal_(0, 1);
            weight.div_(weight.square().sum(1, keepdim: true).sqrt());
            if (linear.bias is { } bias) nn.init.zeros_(bias);
        }
    }

    // Row-wise log-softmax in place (the rollout's log-probabilities).
    private static void LogSoftmaxRows(Span<float> logits, int actionCount)
    {
        for (int start = 0; start < logits.Length; start += actionCount)
        {
            Span<float> row = logits.Slice(start, actionCount);
            PpoLoss.LogSoftmax<float>(row, row);
        }
    }

    public int Act(ReadOnlySpan<float> observation, bool deterministic)
    {
        SetMode("rollout");
        if (_hostActor is not null)
        {
            _hostActor.Forward(observation, 1, _actLogProbs);
            PpoLoss.LogSoftmax<float>(_actLogProbs, _actLogProbs);
            return deterministic ? TensorPrimitives.IndexOfMax<float>(_actLogProbs) : SampleCategorical(_actLogProbs);
        }
        using var scope = NewDisposeScope();
        using var noGrad = no_grad();
        Tensor logProbs = nn.functional.log_softmax(_actor.forward(Features(tensor(observation.ToArray(), [1, _obsSize]))), 1);
        if (deterministic) return (int)logProbs.argmax(1).item<long>();
        float[] values = logProbs.data<float>().ToArray();
        return SampleCategorical(values);
    }

    public IReadOnlyList<RegularitySnapshot> RegularitySnapshots() =>
        [.. _actorRn.Select(l => l.Snapshot() with { Layer = "actor." + l.LayerName }),
         .. _criticRn.Select(l => l.Snapshot() with { Layer = "critic." + l.LayerName })];

    private IEnumerable<(string, nn.Module)> Networks =>
        _encoder is null ? [("actor", _actor), ("critic", _critic)] : [("encoder", _encoder), ("actor", _actor), ("critic", _critic)];

    public void SaveCheckpoint(string directory) => LearnerCheckpoint.Save(directory, "ppo/1", Networks, _optimizer, w =>
    {
        w.Write(GlobalStep); w.Write(Episodes); w.Write(Updates); w.Write(_started);
        EnvState.WriteRng(w, _rng.GetState());
        for (int e = 0; e < _numEnvs; e++)
        {
            w.Write(_rollout.NextDone[e]);
            w.Write(_episodeReturns[e]);
            w.Write(_episodeLengths[e]);
        }
        if (_started) _envs.WriteState(w);
    });

    public void LoadCheckpoint(string directory)
    {
        LearnerCheckpoint.Load(directory, "ppo/1", Networks, _optimizer, r =>
        {
            GlobalStep = r.ReadInt64(); Episodes = r.ReadInt64(); Updates = r.ReadInt64(); _started = r.ReadBoolean();
            _rng = Rng.FromState(EnvState.ReadRng(r));
            for (int e = 0; e < _numEnvs; e++)
            {
                _rollout.NextDone[e] = r.ReadBoolean();
                _episodeReturns[e] = r.ReadDouble();
                _episodeLengths[e] = r.ReadInt32();
            }
            if (_started) _envs.ReadState(r);
        });
        _mode = "";
    }

    public void Dispose()
    {
        _encoder?.Dispose();
        _actor.Dispose();
        _critic.Dispose();
        _envs.Dispose();
    }
}
