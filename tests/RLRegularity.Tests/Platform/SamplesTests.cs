using System.Xml.Linq;
using RLRegularity.TestSupport;

namespace RLRegularity.Tests.Platform;

/// <summary>
/// Every project under samples/ works as a user's project would: copied outside the repository, it builds against the
/// freshly packed packages alone (no project references, none of the repository's build settings) and runs to exit 0.
/// The libraries are packed here under a version of their own (the repository's version with a unique prerelease tag),
/// so NuGet's package cache can never hand the sample an older build; the cached copies are removed afterwards.
/// </summary>
public sealed class SamplesTests(SamplesTests.PackedLibraries packed) : IDisposable, IClassFixture<SamplesTests.PackedLibraries>
{
    private readonly string _root = Directory.CreateTempSubdirectory("rlreg-samples").FullName;

    public void Dispose() => Directory.Delete(_root, recursive: true);

    private static readonly string TestVersion = $"{RepositoryVersion()}-samples.{DateTime.UtcNow:yyyyMMddHHmmss}.{Environment.ProcessId}";

    /// <summary>
    /// The libraries packed once for all samples, removed with their copies in NuGet's package cache when the class's
    /// tests are done (xunit disposes the fixture; a process-exit handler could be cut short by the test host).
    /// </summary>
    public sealed class PackedLibraries : IDisposable
    {
        private readonly Lazy<string> _folder = new(() =>
        {
            string folder = Directory.CreateTempSubdirectory("rlreg-packed").FullName;
            foreach (string project in new[] { "envs/RLRegularity.Envs", "src/RLRegularity", "src/RLRegularity.Analysis", "agents/RLRegularity.Agents" })
                ChildProcess.RunOrThrow("dotnet", ["pack", Path.Combine(ReferenceData.RepositoryRoot, project), "-c", "Release", "-o", folder, $"-p:Version={TestVersion}"]);
            return folder;
        });

        /// <summary>The folder of the packed .nupkg files (packed on first use).</summary>
        public string Folder => _folder.Value;

        public void Dispose()
        {
            if (_folder.IsValueCreated) RemovePacked(_folder.Value);
        }
    }

    public static TheoryData<string> Samples()
    {
        var data = new TheoryData<string>();
        foreach (string dir in Directory.GetDirectories(Path.Combine(ReferenceData.RepositoryRoot, "samples")).Order(StringComparer.Ordinal))
            data.Add(Path.GetFileName(dir));
        return data;
    }

    [Theory]
    [MemberData(nameof(Samples))]
    public void SampleBuildsAndRunsAgainstThePackagesAlone(string sample)
    {
        string copy = Path.Combine(_root, sample);
        CopyFolder(Path.Combine(ReferenceData.RepositoryRoot, "samples", sample), copy);
        string project = Directory.GetFiles(copy, "*.csproj").Single();
        Assert.DoesNotContain("ProjectReference", File.ReadAllText(project));
        // The sample names the repository's version; the copy asks for the version packed for this test.
        string version = RepositoryVersion();
        XDocument document = XDocument.Load(project);
        foreach (XElement reference in document.Descendants("PackageReference").Where(r => ((string?)r.Attribute("Include"))?.StartsWith("RLRegularity") == true))
        {
            Assert.Equal(version, (string?)reference.Attribute("Version"));
            reference.SetAttributeValue("Version", TestVersion);
        }
        document.Save(project);
        File.WriteAllText(Path.Combine(copy, "nuget.config"), $"""
            <?xml version="1.0" encoding="utf-8"?>
            <configuration>
              <packageSources>
                <add key="rlregularity" value="{packed.Folder}" />
                <add key="nuget.org" value="https://api.nuget.org/v3/index.json" />
              </packageSources>
            </configuration>
            """);
        string output = ChildProcess.RunOrThrow("dotnet", ["run", "-c", "Release", "--project", project], copy);
        Assert.False(string.IsNullOrWhiteSpace(output));
    }

    // The packed files and their copies in NuGet's global package cache.
    private static void RemovePacked(string folder)
    {
        Directory.Delete(folder, recursive: true);
        string cache = Environment.GetEnvironmentVariable("NUGET_PACKAGES") is { Length: > 0 } custom ? custom
            : Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".nuget", "packages");
        foreach (string package in Directory.Exists(cache) ? Directory.GetDirectories(cache, "rlregularity*") : [])
        {
            string cached = Path.Combine(package, TestVersion.ToLowerInvariant());
            if (Directory.Exists(cached)) Directory.Delete(cached, recursive: true);
        }
    }

    private static string RepositoryVersion() =>
        XDocument.Load(Path.Combine(ReferenceData.RepositoryRoot, "Directory.Build.props")).Descendants("Version").Single().Value;

    private static void CopyFolder(string from, string to)
    {
        Directory.CreateDirectory(to);
        foreach (string file in Directory.GetFiles(from)) File.Copy(file, Path.Combine(to, Path.GetFileName(file)));
        foreach (string dir in Directory.GetDirectories(from).Where(d => Path.GetFileName(d) is not ("bin" or "obj")))
            CopyFolder(dir, Path.Combine(to, Path.GetFileName(dir)));
    }

}
