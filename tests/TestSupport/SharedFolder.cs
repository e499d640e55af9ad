namespace RLRegularity.TestSupport;

/// <summary>Locates the read-only reference folder <c>../shared</c> beside the repository (or RLREG_SHARED).</summary>
public static class SharedFolder
{
    /// <summary>The absolute path of the shared folder; fails with a clear message if it cannot be found.</summary>
    public static string Root
    {
        get
        {
            string? overridden = Environment.GetEnvironmentVariable("RLREG_SHARED");
            if (!string.IsNullOrEmpty(overridden))
            {
                return Directory.Exists(overridden) ? Path.GetFullPath(overridden)
                    : throw new DirectoryNotFoundException($"RLREG_SHARED points to '{overridden}', which does not exist");
            }
            for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
            {
                if (System.IO.File.Exists(Path.Combine(dir.FullName, "RLRegularity.sln")))
                {
                    string shared = Path.GetFullPath(Path.Combine(dir.FullName, "..", "shared"));
                    return Directory.Exists(shared) ? shared
                        : throw new DirectoryNotFoundException(
                            $"the reference folder '{shared}' is missing: these tests read the shared reference data " +
                            "(RN vectors, Gymnasium and Minigrid fixtures) from '../shared' beside the repository; " +
                            "check it out there or set RLREG_SHARED to its path");
                }
            }
            throw new DirectoryNotFoundException("cannot find RLRegularity.sln above the test binaries, so '../shared' cannot be located");
        }
    }

    /// <summary>The absolute path of a file under the shared folder; fails clearly if it is missing.</summary>
    public static string File(params string[] parts)
    {
        string path = Path.Combine([Root, .. parts]);
        return System.IO.File.Exists(path) ? path : throw new FileNotFoundException($"shared reference file '{path}' is missing", path);
    }

    /// <summary>The repository root (the folder holding RLRegularity.sln).</summary>
    public static string RepositoryRoot
    {
        get
        {
            for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
            {
                if (System.IO.File.Exists(Path.Combine(dir.FullName, "RLRegularity.sln"))) return dir.FullName;
            }
            throw new DirectoryNotFoundException("cannot find RLRegularity.sln above the test binaries");
        }
    }
}
