using System.Globalization;
using System.Security.Cryptography;
using Cloud.Modules.Kernel.IO;
using Microsoft.Win32.SafeHandles;

namespace Cloud.Modules.Swift.Storage.DiskFile;

/// <summary>
/// New files in a device's <c>tmp/</c>, where a write is staged before its rename into place. The directory is made
/// only when the create finds it missing (a new device, or an operator cleaned it): strace of a 4 KiB PUT found a
/// failed mkdir and a stat of tmp/ for each of the three replica writes. Names are a per-process random prefix and a
/// counter rather than a Guid, which cost a read of /dev/urandom each; the create is exclusive, so a clash fails the
/// write rather than sharing a file.
/// </summary>
internal static class TempFiles
{
    private static readonly string Prefix = Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(8));
    private static long _count;

    /// <summary>Creates an empty file, open for writing, under <paramref name="tempDirectory"/>, making it when missing.</summary>
    public static (SafeFileHandle Handle, string Path) Create(string tempDirectory)
    {
        var path = Path.Combine(tempDirectory, Prefix + Interlocked.Increment(ref _count).ToString("x16", CultureInfo.InvariantCulture));
        try
        {
            return (PosixFiles.CreateNew(path), path);
        }
        catch (DirectoryNotFoundException)
        {
            Directory.CreateDirectory(tempDirectory);
            return (PosixFiles.CreateNew(path), path);
        }
    }
}
