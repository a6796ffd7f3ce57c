using System.Runtime.InteropServices;

namespace Cloud.Modules.Swift.Storage.DiskFile;

/// <summary>Extended attributes through libc (Linux): .NET has no managed API for them.</summary>
internal static partial class Xattr
{
    private const int ENODATA = 61;
    private const int ERANGE = 34;
    private const int ENOSPC = 28;
    private const int E2BIG = 7;

    /// <summary>Sets <paramref name="name"/> on <paramref name="path"/>, replacing any value it had.</summary>
    public static unsafe void Set(string path, string name, ReadOnlySpan<byte> value)
    {
        fixed (byte* p = value)
        {
            if (setxattr(path, name, p, (nuint)value.Length, 0) != 0)
            {
                var errno = Marshal.GetLastPInvokeError();
                if (errno is ENOSPC or E2BIG)
                {
                    throw new MetadataTooLargeException($"Metadata of {value.Length} bytes does not fit in the device's xattr space.");
                }
                throw new IOException($"setxattr {name} on {path} failed: {Marshal.GetPInvokeErrorMessage(errno)} (errno {errno}).");
            }
        }
    }

    // Swift's metadata of an ordinary object (name, timestamp, type, length, ETag) is 150-300 bytes.
    private const int FirstTry = 1024;

    /// <summary>The value of <paramref name="name"/>, or null when the file does not carry it.</summary>
    public static unsafe byte[]? Get(string path, string name)
    {
        // One call into a buffer that holds an ordinary value: every object GET and HEAD reads one.
        Span<byte> first = stackalloc byte[FirstTry];
        fixed (byte* p = first)
        {
            var read = getxattr(path, name, p, (nuint)first.Length);
            if (read >= 0)
            {
                return first[..(int)read].ToArray();
            }
            var errno = Marshal.GetLastPInvokeError();
            if (errno != ERANGE)
            {
                return errno == ENODATA ? null : throw Failure(path, name, errno);
            }
        }
        // Longer: ask for the size, then read; again if the value grew in between.
        while (true)
        {
            var size = getxattr(path, name, null, 0);
            if (size < 0)
            {
                var errno = Marshal.GetLastPInvokeError();
                if (errno == ENODATA)
                {
                    return null;
                }
                throw Failure(path, name, errno);
            }
            var buffer = new byte[size];
            fixed (byte* p = buffer)
            {
                var read = getxattr(path, name, p, (nuint)buffer.Length);
                if (read >= 0)
                {
                    return buffer[..(int)read];
                }
                if (Marshal.GetLastPInvokeError() != ERANGE)
                {
                    throw Failure(path, name, Marshal.GetLastPInvokeError());
                }
            }
        }
    }

    private static IOException Failure(string path, string name, int errno) =>
        errno == 2
            ? new FileNotFoundException($"{path} is gone.", path)
            : new IOException($"getxattr {name} on {path} failed: {Marshal.GetPInvokeErrorMessage(errno)} (errno {errno}).");

    [LibraryImport("libc", SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    private static unsafe partial int setxattr(string path, string name, byte* value, nuint size, int flags);

    [LibraryImport("libc", SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    private static unsafe partial nint getxattr(string path, string name, byte* value, nuint size);
}
