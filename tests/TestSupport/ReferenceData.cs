namespace RLRegularity.TestSupport;

/// <summary>
/// Locates the reference data of <c>tests/reference</c> (Gymnasium trajectories, Minigrid fixtures, RN vectors), which
/// tests/Directory.Build.props copies beside every test binary, and the repository the binaries were built from.
/// </summary>
public static class ReferenceData
{
    /// <summary>The folder name of the copied data, beside the test binaries and under <c>tests/</c>.</summary>
    public const string FolderName = "reference";

    /// <summary>The absolute path of the copied reference folder; fails with a clear message if the build did not copy it.</summary>
    public static string Root
    {
        get
        {
            string root = Path.Combine(AppContext.BaseDirectory, FolderName);
            return Directory.Exists(root) ? root
                : throw new DirectoryNotFoundException(
                    $"the reference data folder '{root}' is missing: tests/Directory.Build.props copies tests/{FolderName} " +
                    "beside the test binaries; rebuild the test project");
        }
    }

    /// <summary>The absolute path of a file under the reference folder; fails clearly if it is missing.</summary>
    public static string File(params string[] parts)
    {
        string path = Path.Combine([Root, .. parts]);
        return System.IO.File.Exists(path) ? path
            : throw new FileNotFoundException($"reference file '{path}' is missing (its source is tests/{FolderName}/{string.Join('/', parts)})", path);
    }

    /// <summary>The repository root: the nearest folder above the test binaries that holds RLRegularity.sln.</summary>
    public static string RepositoryRoot
    {
        get
        {
            for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
            {
                if (System.IO.File.Exists(Path.Combine(dir.FullName, "RLRegularity.sln"))) return dir.FullName;
            }
            throw new DirectoryNotFoundException($"cannot find RLRegularity.sln above the test binaries in '{AppContext.BaseDirectory}'");
        }
    }
}
