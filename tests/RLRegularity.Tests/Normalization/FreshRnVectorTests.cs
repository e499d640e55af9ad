using RLRegularity.TestSupport;
using Xunit.Abstractions;

namespace RLRegularity.Tests.Normalization;

/// <summary>
/// Vectors the implementation has never seen: the repository's generator (tools/reference/generate_rn_vectors.py) is
/// run with every input seed replaced, and each new file is reproduced like the committed ones. It needs Debian's
/// python3 with torch and numpy (package python3-torch; tools/install-test-prerequisites.sh installs it), and fails
/// without them, so a machine that cannot check fresh vectors never reports that it did.
/// </summary>
public sealed class FreshRnVectorTests(ITestOutputHelper output)
{
    private const string Python = "/usr/bin/python3";

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    public void VectorsFromNewInputsAreReproduced(int set)
    {
        Assert.True(PythonWithTorch(),
            $"fresh RN vectors need {Python} with torch and numpy: run tools/install-test-prerequisites.sh (or apt-get install python3-torch)");
        string generator = Path.Combine(ReferenceData.RepositoryRoot, "tools", "reference", "generate_rn_vectors.py");
        Assert.True(File.Exists(generator), $"the RN vector generator '{generator}' is missing");
        string folder = Path.Combine(Path.GetTempPath(), $"rlreg-fresh-rn-vectors-{Environment.ProcessId}-{set}");
        Directory.CreateDirectory(folder);
        try
        {
            // Seeds far from the committed files' (20190227…, 7), different per set, so every input matrix is new.
            int seedBase = 7_000 + 100 * set;
            string log = ChildProcess.RunOrThrow(Python, ["-B", generator, folder, "--seed-base", seedBase.ToString(System.Globalization.CultureInfo.InvariantCulture)]);
            string[] files = Directory.GetFiles(folder, "*.json");
            Assert.True(files.Length >= 6, $"the generator wrote {files.Length} vector files:\n{log}");
            foreach (string file in files.Order(StringComparer.Ordinal))
            {
                RnVectorTests.ReplayFile(file, float64: true);
                RnVectorTests.ReplayFile(file, float64: false);
                output.WriteLine($"reproduced {Path.GetFileName(file)} (float64 and float32)");
            }
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }

    private static bool PythonWithTorch() =>
        File.Exists(Python) && ChildProcess.Run(Python, ["-c", "import torch, numpy"]).ExitCode == 0;

}
