namespace RLRegularity.Logging;

/// <summary>Writes files and folders through a temporary name and a rename, so a crash never leaves a torn file.</summary>
public static class AtomicFile
{
    /// <summary>Writes <paramref name="contents"/> to <paramref name="path"/> via <c>path.tmp</c> and a rename.</summary>
    public static void WriteAllText(string path, string contents)
    {
        string temporary = path + ".tmp";
        File.WriteAllText(temporary, contents);
        File.Move(temporary, path, overwrite: true);
    }

    /// <summary>Fills a temporary sibling folder with <paramref name="fill"/> and renames it to <paramref name="directory"/>
    /// (replacing an older one of that name).</summary>
    public static void WriteDirectory(string directory, Action<string> fill)
    {
        string parent = Path.GetDirectoryName(Path.GetFullPath(directory))!;
        Directory.CreateDirectory(parent);
        string temporary = Path.Combine(parent, ".tmp-" + Path.GetFileName(directory));
        if (Directory.Exists(temporary)) Directory.Delete(temporary, recursive: true);
        Directory.CreateDirectory(temporary);
        fill(temporary);
        if (Directory.Exists(directory)) Directory.Delete(directory, recursive: true);
        Directory.Move(temporary, directory);
    }
}
