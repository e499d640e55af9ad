using RLRegularity.TestSupport;

namespace RLRegularity.Agents.Tests;

/// <summary>
/// The learning loops and the run's parts stay small enough to read as what they are (issue 14: the loops as the
/// algorithms, the run split into a folder and observers). A file over its limit means a concern moved into the wrong
/// room: move it out (docs/architecture.md) rather than raise the limit.
/// </summary>
public class SourceSizeTests
{
    [Theory]
    [InlineData("Ppo/PpoLearner.cs", 300)]
    [InlineData("Dqn/DqnLearner.cs", 250)]
    [InlineData("Common/TrainingRun.cs", 250)]
    [InlineData("Common/RunResumption.cs", 250)]
    [InlineData("Common/RunFolder.cs", 250)]
    [InlineData("Common/RunCsvLogs.cs", 250)]
    [InlineData("Common/TensorBoardObserver.cs", 250)]
    [InlineData("Common/RunSummary.cs", 250)]
    [InlineData("Common/ProgressObserver.cs", 250)]
    public void FileStaysWithinItsLineLimit(string file, int limit)
    {
        string path = Path.Combine(ReferenceData.RepositoryRoot, "agents", "RLRegularity.Agents", file);
        int lines = File.ReadAllLines(path).Length;
        Assert.True(lines <= limit, $"{file} has {lines} lines; its limit is {limit}");
    }

    [Theory]
    [InlineData("PpoLearner")]
    [InlineData("DqnLearner")]
    [InlineData("TrainingRun")]
    public void ClassIsNotSpreadOverFiles(string type)
    {
        // A partial class would spread one class over several files and so dodge the limits above.
        string agents = Path.Combine(ReferenceData.RepositoryRoot, "agents", "RLRegularity.Agents");
        string[] declaring = [.. Directory.EnumerateFiles(agents, "*.cs", SearchOption.AllDirectories)
            .Where(f => !f.Contains($"{Path.DirectorySeparatorChar}obj{Path.DirectorySeparatorChar}"))
            .Where(f => File.ReadAllText(f).Contains($"class {type}"))];
        Assert.Single(declaring);
        Assert.DoesNotContain($"partial class {type}", File.ReadAllText(declaring[0]));
    }
}
