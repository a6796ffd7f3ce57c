using System.Runtime.InteropServices;

namespace Cloud.Modules.Kernel.IO;

/// <summary>fsync of a directory, so a rename into it survives a crash (.NET cannot open a directory as a stream).</summary>
public static partial class DirectorySync
{
    private const int O_RDONLY = 0;
    private const int O_DIRECTORY = 0x10000;

    /// <summary>
    /// Creates <paramref name="directory"/> and any missing parents; returns the directories it created, deepest
    /// first, whose entries in their parents are not durable until <see cref="FsyncParents"/> (as swift fsyncs the
    /// parents of the directories its renamer makes). Empty when the directory already existed.
    /// </summary>
    public static IReadOnlyList<string> CreateDirectory(string directory)
    {
        // mkdir first, parents only when it says ENOENT: an object write's hash directory is usually new in an existing
        // suffix, or exists already, and a stat of each level before creating (Directory.Exists) cost 4 stats per PUT.
        var created = new List<string>();
        Make(Path.TrimEndingDirectorySeparator(directory), created);
        created.Reverse();
        return created;
    }

    // Makes directory and any missing parents, adding those it made shallowest first. One made meanwhile by another
    // (EEXIST) is not ours: its maker makes its entry durable.
    private static void Make(string directory, List<string> created)
    {
        bool made;
        try
        {
            made = PosixFiles.TryMakeDirectory(directory);
        }
        catch (DirectoryNotFoundException) when (Path.GetDirectoryName(directory) is { } parent && parent != directory)
        {
            Make(parent, created);
            made = PosixFiles.TryMakeDirectory(directory);
        }
        if (made)
        {
            created.Add(directory);
        }
    }

    /// <summary>fsyncs the parent of each directory <see cref="CreateDirectory"/> made, so its entry survives a crash.</summary>
    public static void FsyncParents(IReadOnlyList<string> created)
    {
        foreach (var parent in Parents(created))
        {
            Fsync(parent);
        }
    }

    /// <summary>The directories whose fsync makes the entries of <paramref name="created"/> durable (<see cref="FsyncParents"/>'s).</summary>
    public static IEnumerable<string> Parents(IReadOnlyList<string> created)
    {
        foreach (var directory in created)
        {
            if (Path.GetDirectoryName(directory) is { } parent)
            {
                yield return parent;
            }
        }
    }

    public static void Fsync(string directory)
    {
        var fd = open(directory, O_RDONLY | O_DIRECTORY);
        if (fd < 0)
        {
            var errno = Marshal.GetLastPInvokeError();
            throw new IOException($"open {directory} failed: {Marshal.GetPInvokeErrorMessage(errno)} (errno {errno}).");
        }
        try
        {
            if (fsync(fd) != 0)
            {
                var errno = Marshal.GetLastPInvokeError();
                throw new IOException($"fsync {directory} failed: {Marshal.GetPInvokeErrorMessage(errno)} (errno {errno}).");
            }
        }
        finally
        {
            _ = close(fd);
        }
    }

    [LibraryImport("libc", SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    private static partial int open(string path, int flags);

    [LibraryImport("libc", SetLastError = true)]
    private static partial int fsync(int fd);

    [LibraryImport("libc", SetLastError = true)]
    private static partial int close(int fd);
}
