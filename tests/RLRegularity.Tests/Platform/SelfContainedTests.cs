using RLRegularity.TestSupport;

namespace RLRegularity.Tests.Platform;

/// <summary>
/// A clone of the repository is all the tests and the build need: no source, test, build or CI file names the
/// developers' reference folder beside the repository or the variable that used to point at it.
/// </summary>
public sealed class SelfContainedTests
{
    // Spelled in pieces so that this file does not match itself.
    private static readonly string[] Forbidden = [".." + "/" + "shared", "RLREG" + "_SHARED"];

    private static readonly string[] CheckedFolders = ["tests", "src", "agents", "envs", "build", ".ci", "tools"];

    // Build outputs hold copies (and compiled constants) of what is checked at its source.
    private static readonly string[] SkippedFolders = ["bin", "obj", "TestResults"];

    [Fact]
    public void NothingReadsOutsideTheRepository()
    {
        string root = ReferenceData.RepositoryRoot;
        var offenders = new List<string>();
        foreach (string folder in CheckedFolders.Select(f => Path.Combine(root, f)).Where(Directory.Exists))
        {
            foreach (string file in Files(folder))
            {
                string text = File.ReadAllText(file);
                foreach (string word in Forbidden.Where(w => text.Contains(w, StringComparison.Ordinal)))
                    offenders.Add($"{Path.GetRelativePath(root, file)} mentions '{word}'");
            }
        }
        Assert.True(offenders.Count == 0, "the repository must be self-contained:\n" + string.Join('\n', offenders));
    }

    [Fact]
    public void ReferenceDataIsCopiedBesideTheTests()
    {
        string source = Path.Combine(ReferenceData.RepositoryRoot, "tests", ReferenceData.FolderName);
        string[] expected = [.. Directory.GetFiles(source, "*", SearchOption.AllDirectories).Select(f => Path.GetRelativePath(source, f)).Order(StringComparer.Ordinal)];
        Assert.Contains(Path.Combine("rn-vectors", "rn_scalar.json"), expected);
        foreach (string file in expected)
            Assert.True(File.ReadAllBytes(Path.Combine(source, file)).AsSpan().SequenceEqual(File.ReadAllBytes(Path.Combine(ReferenceData.Root, file))),
                $"reference/{file} beside the test binaries differs from tests/{ReferenceData.FolderName}/{file}");
    }

    private static IEnumerable<string> Files(string folder)
    {
        foreach (string file in Directory.EnumerateFiles(folder)) yield return file;
        foreach (string sub in Directory.EnumerateDirectories(folder).Where(d => !SkippedFolders.Contains(Path.GetFileName(d))))
            foreach (string file in Files(sub)) yield return file;
    }
}
