// Marks chosen symbol-version needs of an ELF64 shared library as weak (VER_FLG_WEAK) in its .gnu.version_r section.
//
// Why: TorchSharp-cpu 0.107.0 ships libLibTorchSharp.so linked against a newer libstdc++ than Debian 12's. It declares
// a need for GLIBCXX_3.4.32 only because of the link-time marker symbol _ZSt21ios_base_library_initv, which no
// relocation uses. glibc's loader refuses a library whose version need is missing unless that need is weak; with the
// weak flag the library loads and computes correctly. This file is compiled twice: into the MSBuild inline task of
// LibTorchSharpNativeFix.targets, and into the test project (with ELF_VERSION_NEEDS_NO_TASK) so the logic is tested.
#nullable enable
using System;
using System.Collections.Generic;
using System.IO;
using System.Text;

namespace RLRegularity.Build
{
    /// <summary>One version need found in a library, and what the patcher did with it.</summary>
    public sealed class ElfVersionNeed
    {
        public ElfVersionNeed(string library, string version, long flagsOffset, ushort flagsBefore, ushort flagsAfter)
        {
            Library = library; Version = version; FlagsOffset = flagsOffset; FlagsBefore = flagsBefore; FlagsAfter = flagsAfter;
        }
        /// <summary>The needed library (vn_file), e.g. libstdc++.so.6.</summary>
        public string Library { get; }
        /// <summary>The version name (vna_name), e.g. GLIBCXX_3.4.32.</summary>
        public string Version { get; }
        /// <summary>File offset of the vna_flags field.</summary>
        public long FlagsOffset { get; }
        public ushort FlagsBefore { get; }
        public ushort FlagsAfter { get; }
        public bool Changed => FlagsBefore != FlagsAfter;
    }

    /// <summary>Reads and weakens the version needs (.gnu.version_r) of little-endian ELF64 files.</summary>
    public static class ElfVersionNeeds
    {
        /// <summary>VER_FLG_WEAK from elf.h: a missing version is not an error at load time.</summary>
        public const ushort VerFlagWeak = 0x2;
        private const uint ShtGnuVerneed = 0x6ffffffe;

        /// <summary>Lists every version need of the file. Throws <see cref="InvalidDataException"/> if it is not a
        /// little-endian ELF64 file.</summary>
        public static List<ElfVersionNeed> Read(string path) => Scan(File.ReadAllBytes(path), null);

        /// <summary>Sets VER_FLG_WEAK on each need whose version is in <paramref name="versions"/> and writes the
        /// file back only if a flag changed. Returns the matching needs with their flags before and after; an empty
        /// list means the file has no such need and was left untouched. Idempotent.</summary>
        public static List<ElfVersionNeed> Weaken(string path, ICollection<string> versions)
        {
            byte[] bytes = File.ReadAllBytes(path);
            var set = new HashSet<string>(versions, StringComparer.Ordinal);
            List<ElfVersionNeed> matches = Scan(bytes, set);
            bool changed = false;
            foreach (ElfVersionNeed need in matches) changed |= need.Changed;
            if (changed)
            {
                // Write the two-byte fields in place rather than rewriting the whole file.
                using var stream = new FileStream(path, FileMode.Open, FileAccess.Write, FileShare.None);
                foreach (ElfVersionNeed need in matches)
                {
                    if (!need.Changed) continue;
                    stream.Position = need.FlagsOffset;
                    stream.WriteByte((byte)(need.FlagsAfter & 0xff));
                    stream.WriteByte((byte)(need.FlagsAfter >> 8));
                }
            }
            return matches;
        }

        // When 'weaken' is null every need is listed unchanged; otherwise only the named versions, with their new flags.
        private static List<ElfVersionNeed> Scan(byte[] b, HashSet<string>? weaken)
        {
            if (b.Length < 64 || b[0] != 0x7f || b[1] != (byte)'E' || b[2] != (byte)'L' || b[3] != (byte)'F')
                throw new InvalidDataException("not an ELF file");
            if (b[4] != 2 || b[5] != 1)
                throw new InvalidDataException("only little-endian ELF64 files are supported");
            long shoff = checked((long)ReadU64(b, 0x28));
            int shentsize = ReadU16(b, 0x3a);
            int shnum = ReadU16(b, 0x3c);
            var result = new List<ElfVersionNeed>();
            for (int s = 0; s < shnum; s++)
            {
                long sh = shoff + (long)s * shentsize;
                Require(b, sh, 64);
                if (ReadU32(b, sh + 4) != ShtGnuVerneed) continue;
                long offset = checked((long)ReadU64(b, sh + 0x18));
                uint link = ReadU32(b, sh + 0x28);
                uint count = ReadU32(b, sh + 0x2c);
                long strtab = checked((long)ReadU64(b, shoff + (long)link * shentsize + 0x18));
                long vn = offset;
                for (uint i = 0; i < count; i++)
                {
                    Require(b, vn, 16);
                    int auxCount = ReadU16(b, vn + 2);
                    string library = ReadString(b, strtab + ReadU32(b, vn + 4));
                    long aux = vn + ReadU32(b, vn + 8);
                    for (int j = 0; j < auxCount; j++)
                    {
                        Require(b, aux, 16);
                        ushort flags = ReadU16(b, aux + 4);
                        string version = ReadString(b, strtab + ReadU32(b, aux + 8));
                        if (weaken == null)
                            result.Add(new ElfVersionNeed(library, version, aux + 4, flags, flags));
                        else if (weaken.Contains(version))
                            result.Add(new ElfVersionNeed(library, version, aux + 4, flags, (ushort)(flags | VerFlagWeak)));
                        uint next = ReadU32(b, aux + 12);
                        if (next == 0) break;
                        aux += next;
                    }
                    uint nextNeed = ReadU32(b, vn + 12);
                    if (nextNeed == 0) break;
                    vn += nextNeed;
                }
            }
            return result;
        }

        private static void Require(byte[] b, long offset, int length)
        {
            if (offset < 0 || offset + length > b.Length)
                throw new InvalidDataException("truncated ELF file: a header points past the end");
        }

        private static ushort ReadU16(byte[] b, long o) { Require(b, o, 2); return (ushort)(b[o] | b[o + 1] << 8); }
        private static uint ReadU32(byte[] b, long o) { Require(b, o, 4); return (uint)(b[o] | b[o + 1] << 8 | b[o + 2] << 16 | b[o + 3] << 24); }
        private static ulong ReadU64(byte[] b, long o) => ReadU32(b, o) | (ulong)ReadU32(b, o + 4) << 32;

        private static string ReadString(byte[] b, long o)
        {
            long end = o;
            while (end < b.Length && b[end] != 0) end++;
            Require(b, o, (int)(end - o));
            return Encoding.ASCII.GetString(b, (int)o, (int)(end - o));
        }
    }

#if !ELF_VERSION_NEEDS_NO_TASK
    /// <summary>MSBuild task: weakens the named version needs of every file given, logging what it did.</summary>
    public sealed class WeakenElfVersionNeeds : Microsoft.Build.Utilities.Task
    {
        /// <summary>The shared libraries to patch.</summary>
        [Microsoft.Build.Framework.Required]
        public Microsoft.Build.Framework.ITaskItem[] Files { get; set; } = Array.Empty<Microsoft.Build.Framework.ITaskItem>();

        /// <summary>Semicolon-separated version names to mark weak, e.g. GLIBCXX_3.4.32.</summary>
        [Microsoft.Build.Framework.Required]
        public string Versions { get; set; } = "";

        public override bool Execute()
        {
            var versions = Versions.Split(new[] { ';' }, StringSplitOptions.RemoveEmptyEntries);
            foreach (var item in Files)
            {
                string path = item.GetMetadata("FullPath");
                try
                {
                    var needs = ElfVersionNeeds.Weaken(path, versions);
                    if (needs.Count == 0)
                        Log.LogMessage(Microsoft.Build.Framework.MessageImportance.High,
                            $"LibTorchSharp fix: {path} declares no need for {Versions}; left untouched.");
                    foreach (var need in needs)
                    {
                        string what = need.Changed ? "marked weak" : "already weak, nothing to do";
                        Log.LogMessage(Microsoft.Build.Framework.MessageImportance.High,
                            $"LibTorchSharp fix: {path}: need {need.Library} {need.Version} {what} (vna_flags 0x{need.FlagsBefore:x} -> 0x{need.FlagsAfter:x}).");
                    }
                }
                catch (Exception e) when (e is IOException || e is InvalidDataException || e is UnauthorizedAccessException || e is OverflowException)
                {
                    Log.LogError($"LibTorchSharp fix: cannot patch {path}: {e.Message}");
                }
            }
            return !Log.HasLoggedErrors;
        }
    }
#endif
}
