using RLRegularity.TestSupport;

namespace RLRegularity.Tests.Platform;

/// <summary>The repository is MIT-licensed, and every project that will be packed says so, with a description,
/// tags, the README and the licence file (as MSBuild itself evaluates them).</summary>
public sealed class PackageMetadataTests
{
    public static TheoryData<string> PackableProjects() =>
    [
        "envs/RLRegularity.Envs/RLRegularity.Envs.csproj",
        "src/RLRegularity/RLRegularity.csproj",
        "src/RLRegularity.Analysis/RLRegularity.Analysis.csproj",
        "agents/RLRegularity.Agents/RLRegularity.Agents.csproj",
        "src/RLRegularity.Cli/RLRegularity.Cli.csproj",
    ];

    [Fact]
    public void LicenceIsMit()
    {
        string licence = File.ReadAllText(Path.Combine(ReferenceData.RepositoryRoot, "LICENSE"));
        Assert.StartsWith("MIT License", licence);
        Assert.Contains("Permission is hereby granted, free of charge", licence);
        Assert.Contains("RLRegularity contributors", licence);
    }

    [Theory]
    [MemberData(nameof(PackableProjects))]
    public void ProjectCarriesPackageMetadata(string project)
    {
        Dictionary<string, string> p = Evaluate(project, "PackageLicenseExpression", "PackageReadmeFile", "Description", "PackageTags",
                                                "Authors", "RepositoryType", "IsPackable");
        Assert.Equal("MIT", p["PackageLicenseExpression"]);
        Assert.Equal("README.md", p["PackageReadmeFile"]);
        Assert.True(p["Description"].Length > 40, $"{project} needs a description: '{p["Description"]}'");
        Assert.NotEmpty(p["PackageTags"]);
        Assert.Equal("RLRegularity contributors", p["Authors"]);
        Assert.Equal("git", p["RepositoryType"]);
        Assert.NotEqual("false", p["IsPackable"]);
    }

    // The properties' values as `dotnet msbuild -getProperty` evaluates the project (no build).
    private static Dictionary<string, string> Evaluate(string project, params string[] properties)
    {
        string output = ChildProcess.RunOrThrow("dotnet",
            ["msbuild", Path.Combine(ReferenceData.RepositoryRoot, project), "-nologo", .. properties.Select(p => "-getProperty:" + p)]);
        using var json = System.Text.Json.JsonDocument.Parse(output);
        return json.RootElement.GetProperty("Properties").EnumerateObject().ToDictionary(e => e.Name, e => e.Value.GetString() ?? "");
    }
}
