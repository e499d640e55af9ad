namespace RLRegularity.Logging;

/// <summary>
/// Checks, before anything is created, that an output folder can be made and written where it was asked for, so a
/// bad <c>--out</c> fails at once with its real cause (a file in the way, a read-only file system, no permission)
/// instead of midway, or as a misleading "in use" error.
/// </summary>
public static class OutputLocation
{
    /// <summary>
    /// Throws an <see cref="ArgumentException"/> whose message starts with <paramref name="what"/> if
    /// <paramref name="folder"/> is a file, lies under a file, or cannot be written: its nearest existing ancestor
    /// (or itself, if it exists) gets a probe file that is removed again.
    /// </summary>
    public static void EnsureFolderCanBeWritten(string folder, string what)
    {
        string full = Path.GetFullPath(folder);
        if (File.Exists(full)) throw new ArgumentException($"{what}: '{folder}' is a file, not a folder");
        string? existing = full;
        while (existing is not null && !Directory.Exists(existing))
        {
            if (File.Exists(existing)) throw new ArgumentException($"{what}: '{folder}' cannot be created because '{existing}' is a file");
            existing = Path.GetDirectoryName(existing);
        }
        if (existing is null) throw new ArgumentException($"{what}: '{folder}' has no existing parent folder");
        string probe = Path.Combine(existing, $".rlreg-write-probe-{Environment.ProcessId}-{Guid.NewGuid():N}");
        try
        {
            using (File.Create(probe, 1, FileOptions.DeleteOnClose)) { }
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            string where = existing == full ? $"'{folder}'" : $"'{existing}' (where '{folder}' would be created)";
            throw new ArgumentException($"{what}: cannot write in {where}: {Reason(e)}", e);
        }
    }

    /// <summary>
    /// Throws an <see cref="ArgumentException"/> whose message starts with <paramref name="what"/> if the file
    /// <paramref name="file"/> could not be written: it is a folder, or its folder cannot be created or written.
    /// </summary>
    public static void EnsureFileCanBeWritten(string file, string what)
    {
        string full = Path.GetFullPath(file);
        if (Directory.Exists(full)) throw new ArgumentException($"{what}: '{file}' is a folder; give a file name");
        EnsureFolderCanBeWritten(Path.GetDirectoryName(full)!, what);
    }

    // The operating system's reason, without .NET's file-name decoration.
    private static string Reason(Exception e) => e switch
    {
        UnauthorizedAccessException => "permission denied",
        _ when e.Message.Contains("Read-only file system", StringComparison.OrdinalIgnoreCase) => "the file system is read-only",
        _ when e.Message.Contains("No space left", StringComparison.OrdinalIgnoreCase) => "no space left on the device",
        _ => e.Message,
    };
}
