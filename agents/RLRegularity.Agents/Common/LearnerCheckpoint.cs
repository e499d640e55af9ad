using RLRegularity.Optimization;
using TorchSharp;

namespace RLRegularity.Agents.Common;

/// <summary>
/// The checkpoint layout shared by the learners: one weights file per network (RN state included, it is registered),
/// the optimizer's state, and a binary learner.state that starts with a format tag and holds counters, RNG, buffer
/// and environment states.
/// </summary>
internal static class LearnerCheckpoint
{
    private const string StateFile = "learner.state";
    private const string OptimizerFile = "adam.state";
    // Checkpoints written before DirectAdam hold torch.optim.Adam's state under this name; they still load.
    private const string TorchAdamFile = "optimizer.state";

    /// <summary>Writes the networks, the optimizer and the learner's own state into <paramref name="directory"/>.</summary>
    public static void Save(string directory, string format, IEnumerable<(string Name, torch.nn.Module Network)> networks,
                            DirectAdam optimizer, Action<BinaryWriter> writeState)
    {
        Directory.CreateDirectory(directory);
        foreach ((string name, torch.nn.Module network) in networks) network.save(Path.Combine(directory, name + ".weights"));
        using (var optimizerStream = File.Create(Path.Combine(directory, OptimizerFile)))
        using (var optimizerWriter = new BinaryWriter(optimizerStream))
            optimizer.Save(optimizerWriter);
        using var stream = File.Create(Path.Combine(directory, StateFile));
        using var writer = new BinaryWriter(stream);
        writer.Write(format);
        writeState(writer);
    }

    /// <summary>Restores what <see cref="Save"/> wrote; a checkpoint of another format is an error naming both.</summary>
    public static void Load(string directory, string format, IEnumerable<(string Name, torch.nn.Module Network)> networks,
                            DirectAdam optimizer, Action<BinaryReader> readState) =>
        Load(directory, [format], networks, optimizer, (reader, _) => readState(reader));

    /// <summary>Restores a checkpoint of any of <paramref name="formats"/> (the current one and older ones still read),
    /// handing the format found to <paramref name="readState"/>; any other format is an error naming them.</summary>
    public static void Load(string directory, IReadOnlyList<string> formats, IEnumerable<(string Name, torch.nn.Module Network)> networks,
                            DirectAdam optimizer, Action<BinaryReader, string> readState)
    {
        foreach ((string name, torch.nn.Module network) in networks) network.load(Path.Combine(directory, name + ".weights"));
        string optimizerPath = Path.Combine(directory, OptimizerFile);
        if (File.Exists(optimizerPath))
        {
            using var optimizerStream = File.OpenRead(optimizerPath);
            using var optimizerReader = new BinaryReader(optimizerStream);
            optimizer.Load(optimizerReader);
        }
        else
        {
            string legacyPath = Path.Combine(directory, TorchAdamFile);
            if (!File.Exists(legacyPath)) throw new FileNotFoundException($"{directory} has no optimizer state ({OptimizerFile})", optimizerPath);
            using var legacy = torch.optim.Adam(optimizer.Parameters, optimizer.LearningRate);
            legacy.load_state_dict(legacyPath);
            optimizer.LoadFrom(legacy);
        }
        using var stream = File.OpenRead(Path.Combine(directory, StateFile));
        using var reader = new BinaryReader(stream);
        string found = reader.ReadString();
        if (!formats.Contains(found))
            throw new InvalidDataException($"{directory} holds a '{found}' checkpoint, not {string.Join(" or ", formats.Select(f => $"'{f}'"))}");
        readState(reader, found);
    }
}
