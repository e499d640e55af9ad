using RLRegularity.Build;

namespace RLRegularity.Tests.Platform;

/// <summary>The build's ELF fix: the copied library's GLIBCXX_3.4.32 need is weak, and the patcher is idempotent and selective.</summary>
public sealed class LibTorchSharpPatchTests
{
    private const string Version = "GLIBCXX_3.4.32";

    private static string CopiedLibrary()
    {
        string[] found = Directory.GetFiles(AppContext.BaseDirectory, "libLibTorchSharp.so", SearchOption.AllDirectories);
        Assert.NotEmpty(found);
        return found[0];
    }

    [Fact]
    public void EveryCopyInTheOutputHasTheNeedMarkedWeak()
    {
        foreach (string path in Directory.GetFiles(AppContext.BaseDirectory, "libLibTorchSharp.so", SearchOption.AllDirectories))
        {
            ElfVersionNeed need = Assert.Single(ElfVersionNeeds.Read(path), n => n.Version == Version);
            Assert.Equal("libstdc++.so.6", need.Library);
            Assert.Equal(ElfVersionNeeds.VerFlagWeak, need.FlagsBefore & ElfVersionNeeds.VerFlagWeak);
        }
    }

    [Fact]
    public void PatchingTwiceChangesOnlyTheFlagOnce()
    {
        string dir = Directory.CreateTempSubdirectory("rlreg-elf").FullName;
        try
        {
            string copy = Path.Combine(dir, "lib.so");
            File.Copy(CopiedLibrary(), copy);
            // Undo the build's patch to get the library as shipped.
            ElfVersionNeed shipped = ElfVersionNeeds.Read(copy).Single(n => n.Version == Version);
            byte[] bytes = File.ReadAllBytes(copy);
            bytes[shipped.FlagsOffset] &= unchecked((byte)~ElfVersionNeeds.VerFlagWeak);
            File.WriteAllBytes(copy, bytes);
            byte[] original = File.ReadAllBytes(copy);

            ElfVersionNeed first = Assert.Single(ElfVersionNeeds.Weaken(copy, [Version]));
            Assert.True(first.Changed);
            Assert.Equal(0, first.FlagsBefore & ElfVersionNeeds.VerFlagWeak);
            byte[] patched = File.ReadAllBytes(copy);
            var differing = Enumerable.Range(0, original.Length).Where(i => original[i] != patched[i]).ToArray();
            Assert.Equal([(int)first.FlagsOffset], differing);

            ElfVersionNeed second = Assert.Single(ElfVersionNeeds.Weaken(copy, [Version]));
            Assert.False(second.Changed);
            Assert.Equal(patched, File.ReadAllBytes(copy));
        }
        finally
        {
            Directory.Delete(dir, recursive: true);
        }
    }

    [Fact]
    public void LibraryWithoutTheNeedIsLeftUntouched()
    {
        // libtorch's own libc10.so does not need GLIBCXX_3.4.32.
        string c10 = Path.Combine(Path.GetDirectoryName(CopiedLibrary())!, "libc10.so");
        Assert.True(File.Exists(c10), $"expected {c10} next to libLibTorchSharp.so");
        Assert.DoesNotContain(ElfVersionNeeds.Read(c10), n => n.Version == Version);
        DateTime before = File.GetLastWriteTimeUtc(c10);
        byte[] bytes = File.ReadAllBytes(c10);
        Assert.Empty(ElfVersionNeeds.Weaken(c10, [Version]));
        Assert.Equal(bytes, File.ReadAllBytes(c10));
        Assert.Equal(before, File.GetLastWriteTimeUtc(c10));
    }

    [Fact]
    public void NonElfFilesAreRejectedClearly()
    {
        string path = Path.GetTempFileName();
        try
        {
            File.WriteAllText(path, "not a library");
            var e = Assert.Throws<InvalidDataException>(() => ElfVersionNeeds.Weaken(path, [Version]));
            Assert.Contains("ELF", e.Message);
        }
        finally
        {
            File.Delete(path);
        }
    }
}
