using System.Runtime.InteropServices;

namespace Cloud.Modules.Kernel.IO;

/// <summary>
/// Which file a path names right now (device and inode), so a handle kept open across uses can tell that its file was
/// deleted or replaced under the same name. statx's buffer has one layout on every architecture (stat's does not).
/// </summary>
public readonly partial record struct FileIdentity(ulong Device, ulong Inode)
{
    private const int AtFdCwd = -100;
    private const uint StatxIno = 0x100;
    private const int ENOENT = 2;
    private const int ENOTDIR = 20;

    /// <summary>The identity of the file at <paramref name="path"/>; null when there is none.</summary>
    public static FileIdentity? Of(string path)
    {
        Span<byte> buffer = stackalloc byte[256];
        if (statx(AtFdCwd, path, 0, StatxIno, ref MemoryMarshal.GetReference(buffer)) != 0)
        {
            var errno = Marshal.GetLastPInvokeError();
            return errno is ENOENT or ENOTDIR
                ? null
                : throw new IOException($"statx {path} failed: {Marshal.GetPInvokeErrorMessage(errno)} (errno {errno}).");
        }
        // struct statx: stx_ino at 32, stx_dev_major and stx_dev_minor at 136 and 140.
        var inode = MemoryMarshal.Read<ulong>(buffer[32..]);
        var device = ((ulong)MemoryMarshal.Read<uint>(buffer[136..]) << 32) | MemoryMarshal.Read<uint>(buffer[140..]);
        return new FileIdentity(device, inode);
    }

    [LibraryImport("libc", SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    private static partial int statx(int dirfd, string path, int flags, uint mask, ref byte buffer);
}
