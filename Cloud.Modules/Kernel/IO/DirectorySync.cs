using System.Runtime.InteropServices;

namespace Cloud.Modules.Kernel.IO;

/// <summary>fsync of a directory, so a rename into it survives a crash (.NET cannot open a directory as a stream).</summary>
public static partial class DirectorySync
{
    private const int O_RDONLY = 0;
    private const int O_DIRECTORY = 0x10000;

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
