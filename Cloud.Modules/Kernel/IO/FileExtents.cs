using System.Runtime.InteropServices;
using Microsoft.Win32.SafeHandles;

namespace Cloud.Modules.Kernel.IO;

/// <summary>
/// Where a sparse file holds data (lseek SEEK_DATA/SEEK_HOLE, which .NET does not expose): copying or wiping only those
/// ranges keeps files sparse and skips the holes, which read as zeros and hold nothing.
/// </summary>
public static partial class FileExtents
{
    private const int SeekData = 3;
    private const int SeekHole = 4;
    private const int NoSuchAddress = 6; // ENXIO: no data at or after the offset
    private const int NotSupported = 22; // EINVAL: the filesystem does not report holes

    /// <summary>The ranges (offset, length) of the file that may hold data; the whole file where holes are not reported.</summary>
    public static IReadOnlyList<(long Offset, long Length)> DataRanges(SafeFileHandle file)
    {
        var length = RandomAccess.GetLength(file);
        var ranges = new List<(long, long)>();
        var position = 0L;
        while (position < length)
        {
            var data = lseek(file, position, SeekData);
            if (data < 0)
            {
                var errno = Marshal.GetLastPInvokeError();
                if (errno == NoSuchAddress)
                {
                    break;
                }
                if (errno == NotSupported && position == 0)
                {
                    return [(0, length)];
                }
                throw Failure("SEEK_DATA", errno);
            }
            var hole = lseek(file, data, SeekHole);
            if (hole < 0)
            {
                throw Failure("SEEK_HOLE", Marshal.GetLastPInvokeError());
            }
            hole = Math.Min(hole, length);
            if (hole > data)
            {
                ranges.Add((data, hole - data));
            }
            position = hole;
        }
        return ranges;
    }

    /// <summary>Whether the file's filesystem keeps holes: a file just extended with no writes must be all hole.</summary>
    public static bool HasOnlyHoles(SafeFileHandle file) => DataRanges(file).Count == 0;

    private static IOException Failure(string what, int errno) =>
        new($"lseek {what} failed: {Marshal.GetPInvokeErrorMessage(errno)} (errno {errno})");

    [LibraryImport("libc", SetLastError = true)]
    private static partial long lseek(SafeFileHandle fd, long offset, int whence);
}
