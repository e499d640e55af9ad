using System.Diagnostics;
using System.Text.RegularExpressions;
using RLRegularity.TestSupport;
using Xunit.Abstractions;

namespace RLRegularity.Tests.Normalization;

/// <summary>
/// Vectors the implementation has never seen: the shared generator (../shared/rn/vectors/generate_rn_vectors.py, run
/// from ../shared, not copied) is re-run with its input seeds replaced, and every new file is reproduced like the
/// shared ones. It needs Debian's python3 with torch and numpy (package python3-torch, as the generator says); without
/// them the test reports that in its output and checks nothing.
/// </summary>
public sealed partial class FreshRnVectorTests(ITestOutputHelper output)
{
    private const string Python = "/usr/bin/python3";

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    public void VectorsFromNewInputsAreReproduced(int set)
    {
        if (!PythonWithTorch())
        {
            output.WriteLine($"{Python} with torch and numpy is not available (apt-get install python3-torch); fresh vectors not generated");
            return;
        }
        string folder = Path.Combine(Path.GetTempPath(), $"rlreg-fresh-rn-vectors-{Environment.ProcessId}-{set}");
        Directory.CreateDirectory(folder);
        try
        {
            string source = File.ReadAllText(SharedFolder.File("rn", "vectors", "generate_rn_vectors.py"));
            int replaced = 0;
            // Every input stream of the generator is a numpy RandomState with a literal seed: give each a new one.
            string fresh = SeedPattern().Replace(source, m => $"np.random.RandomState({7_000 + 100 * set + replaced++})");
            Assert.True(replaced >= 4, $"expected the generator to seed its inputs with np.random.RandomState(<int>); found {replaced}");
            string script = Path.Combine(folder, "generate.py");
            File.WriteAllText(script, fresh);
            Run(Python, $"\"{script}\" \"{folder}\"", out string log);
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
        File.Exists(Python) && Run(Python, "-c \"import torch, numpy\"", out _, throwOnFailure: false);

    private static bool Run(string file, string arguments, out string log, bool throwOnFailure = true)
    {
        var info = new ProcessStartInfo(file, arguments) { RedirectStandardOutput = true, RedirectStandardError = true };
        using Process process = Process.Start(info)!;
        Task<string> stdout = process.StandardOutput.ReadToEndAsync(), stderr = process.StandardError.ReadToEndAsync();
        process.WaitForExit();
        log = stdout.Result + stderr.Result;
        if (process.ExitCode != 0 && throwOnFailure) throw new InvalidOperationException($"{file} {arguments} failed with exit code {process.ExitCode}:\n{log}");
        return process.ExitCode == 0;
    }

    [GeneratedRegex(@"np\.random\.RandomState\(\d+\)")]
    private static partial Regex SeedPattern();
}
