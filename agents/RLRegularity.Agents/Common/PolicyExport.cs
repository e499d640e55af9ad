using System.Globalization;
using System.Text.Json.Nodes;
using RLRegularity.Envs.Core;
using RLRegularity.Networks;
using RLRegularity.Normalization;
using TorchSharp;
using TorchSharp.PyBridge;
using static TorchSharp.torch;

namespace RLRegularity.Agents.Common;

/// <summary>
/// A trained policy for PyTorch users: every policy network's parameters and buffers in one state_dict that
/// <c>torch.load</c> reads (keys <c>&lt;network&gt;.&lt;PyTorch key&gt;</c>, e.g. <c>actor.layers.fc1.weight</c>), and beside
/// it a JSON description of each network, layer by layer, so a few lines of PyTorch rebuild it
/// (tools/python/rlreg_policy.py does). For networks a plain PyTorch rebuild can reproduce (linear, LayerNorm,
/// BatchNorm, weight norm, ReLU, Tanh), the JSON also holds the outputs of a few seeded observations as computed here,
/// which the rebuild must match.
/// </summary>
public static class PolicyExport
{
    /// <summary>The format name written into the description, versioned with its layout.</summary>
    public const string Format = "rlregularity-policy/1";

    /// <summary>Observations (from resets with seeds 0, 1, 2) whose outputs the description holds.</summary>
    public const int CheckObservations = 3;

    /// <summary>The description's path for a state_dict path: the same name with the extension <c>.json</c>.</summary>
    public static string DescriptionPath(string stateDictPath) => Path.ChangeExtension(stateDictPath, ".json");

    /// <summary>
    /// Writes <paramref name="learner"/>'s policy networks to <paramref name="path"/> (the state_dict) and
    /// <see cref="DescriptionPath"/> (the description) and returns the description.
    /// </summary>
    public static JsonObject Write(ILearner learner, RunSettings settings, string normalizer, string path)
    {
        var stateDict = new Dictionary<string, Tensor>();
        var networks = new JsonObject();
        JsonArray? observations = null;
        using IEnv env = EnvRegistry.Make(settings.Env);
        foreach ((string name, nn.Module network) in learner.PolicyNetworks)
        {
            var keys = new JsonObject();
            foreach ((string key, Tensor tensor) in network.state_dict())
            {
                stateDict[$"{name}.{key}"] = tensor.detach().cpu();
                keys[$"{name}.{key}"] = new JsonArray([.. tensor.shape.Select(d => JsonValue.Create(d))]);
            }
            JsonObject entry = Describe(network);
            entry["state_dict"] = keys;
            if (network is Mlp mlp && entry["rebuildable"]!.GetValue<bool>())
            {
                observations ??= Observations(env);
                entry["check_outputs"] = Outputs(mlp, observations);
            }
            networks[name] = entry;
        }
        var description = new JsonObject
        {
            ["format"] = Format,
            ["agent"] = settings.Agent,
            ["env"] = settings.Env,
            ["seed"] = settings.Seed,
            ["normalizer"] = normalizer,
            ["observation_size"] = env.ObservationSpace.FlatSize,
            ["action_count"] = env.ActionSpace is DiscreteSpace d ? d.N : null,
            ["global_step"] = learner.GlobalStep,
            ["networks"] = networks,
            ["check_observations"] = observations,
        };
        string? folder = Path.GetDirectoryName(Path.GetFullPath(path));
        if (folder is not null) Directory.CreateDirectory(folder);
        using (var stream = File.Create(path)) PyTorchPickler.PickleStateDict(stream, stateDict, leaveOpen: false);
        Logging.AtomicFile.WriteAllText(DescriptionPath(path), description.ToJsonString(ConfigBinding.JsonOptions) + "\n");
        return description;
    }

    // One network's layers in order. Networks other than an MLP (MiniGrid's convolutional encoder) are named, not described.
    private static JsonObject Describe(nn.Module network)
    {
        if (network is not Mlp mlp)
            return new JsonObject { ["kind"] = network.GetType().Name, ["rebuildable"] = false, ["why_not"] = "only MLPs are described layer by layer" };
        var sequential = mlp.named_children().Single().module;
        var layers = new JsonArray();
        string? whyNot = null;
        int width = mlp.Spec.InputSize;
        foreach ((string name, nn.Module layer) in sequential.named_children())
        {
            JsonObject described = layer switch
            {
                TorchSharp.Modules.Linear l => new JsonObject { ["type"] = "linear", ["in"] = l.in_features, ["out"] = l.out_features },
                WeightNormLinear w => new JsonObject { ["type"] = "weight_norm_linear", ["in"] = (long)w.InFeatures, ["out"] = (long)w.OutFeatures },
                TorchSharp.Modules.LayerNorm => new JsonObject { ["type"] = "layer_norm", ["features"] = width, ["eps"] = mlp.Spec.Options.LayerNormEpsilon },
                BatchNormalization => new JsonObject { ["type"] = "batch_norm", ["features"] = width, ["eps"] = mlp.Spec.Options.BatchNormEpsilon, ["momentum"] = mlp.Spec.Options.BatchNormMomentum },
                TorchSharp.Modules.ReLU => new JsonObject { ["type"] = "relu" },
                TorchSharp.Modules.Tanh => new JsonObject { ["type"] = "tanh" },
                TorchSharp.Modules.Identity => new JsonObject { ["type"] = "identity" },
                IRegularityLayer => new JsonObject { ["type"] = Normalizers.Name(mlp.Spec.Normalizer), ["features"] = width },
                _ => new JsonObject { ["type"] = layer.GetType().Name },
            };
            if (described["out"] is JsonNode o) width = checked((int)o.GetValue<long>());
            if (layer is IRegularityLayer)
                whyNot ??= $"its {Normalizers.Name(mlp.Spec.Normalizer)} layers keep RN's incremental statistics and universal code, which plain PyTorch has no layer for (their state is in the state_dict)";
            else if (described["type"]!.GetValue<string>() == layer.GetType().Name)
                whyNot ??= $"layer {name} ({layer.GetType().Name}) has no PyTorch counterpart here";
            described["name"] = name;
            layers.Add(described);
        }
        var entry = new JsonObject
        {
            ["kind"] = "mlp",
            ["container"] = mlp.named_children().Single().name,
            ["input_size"] = mlp.Spec.InputSize,
            ["output_size"] = mlp.Spec.OutputSize,
            ["rebuildable"] = whyNot is null,
            ["layers"] = layers,
        };
        if (whyNot is not null) entry["why_not"] = whyNot;
        return entry;
    }

    private static JsonArray Observations(IEnv env)
    {
        var rows = new JsonArray();
        for (int seed = 0; seed < CheckObservations; seed++)
            rows.Add(new JsonArray([.. env.Reset(seed).Observation.Select(v => JsonValue.Create(v))]));
        return rows;
    }

    // The network's outputs in evaluation mode, without touching its training state.
    private static JsonArray Outputs(Mlp mlp, JsonArray observations)
    {
        bool wasTraining = mlp.training;
        mlp.eval();
        try
        {
            using var scope = NewDisposeScope();
            using var noGrad = no_grad();
            float[] flat = [.. observations.SelectMany(r => r!.AsArray().Select(v => v!.GetValue<float>()))];
            Tensor input = tensor(flat, [observations.Count, mlp.Spec.InputSize]).to(mlp.parameters().First().dtype);
            double[] output = mlp.forward(input).to(ScalarType.Float64).data<double>().ToArray();
            var rows = new JsonArray();
            for (int r = 0; r < observations.Count; r++)
                rows.Add(new JsonArray([.. output.Skip(r * mlp.Spec.OutputSize).Take(mlp.Spec.OutputSize).Select(v => JsonValue.Create(v))]));
            return rows;
        }
        finally
        {
            mlp.train(wasTraining);
        }
    }
}
