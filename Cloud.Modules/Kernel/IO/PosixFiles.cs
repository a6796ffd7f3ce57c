using System.Runtime.InteropServices;
using Microsoft.Win32.SafeHandles;

namespace Cloud.Modules.Kernel.IO;

/// <summary>
/// Opens, mkdir, rename and flock straight through libc, for the object server's write path, where .NET's wrappers
/// cost system calls the path does not need: every FileStream or File.OpenHandle takes an flock (after an fstatfs
/// asking whether the file system locks) and a FileStream seeks twice, File.Move lstat's its source, and
/// File.AppendAllText does all of these for a four-byte append. strace of a 4 KiB object PUT counted 8 calls to append
/// to hashes.invalid where 3 do (open, write, close). Linux only, like the rest of the storage node.
/// </summary>
public static partial class PosixFiles
{
    private const int O_RDONLY = 0;
    private const int O_WRONLY = 0x1;
    private const int O_RDWR = 0x2;
    private const int O_CREAT = 0x40;
    private const int O_EXCL = 0x80;
    private const int O_APPEND = 0x400;
    private const int O_CLOEXEC = 0x80000;
    private const int LOCK_EX = 2;
    private const int LOCK_NB = 4;
    private const int ENOENT = 2;
    private const int EINTR = 4;
    private const int EAGAIN = 11;
    private const int EACCES = 13;
    private const int EEXIST = 17;
    private const int FileMode = 0x1B6; // 0666, as .NET creates files (less the umask)
    private const int DirectoryMode = 0x1FF; // 0777, as .NET creates directories (less the umask)

    /// <summary>Opens an existing file for reading; a missing one throws <see cref="FileNotFoundException"/>.</summary>
    public static SafeFileHandle OpenRead(string path) => Open(path, O_RDONLY | O_CLOEXEC, missingIsFile: true);

    /// <summary>Creates <paramref name="path"/>, which must not exist, open for writing.</summary>
    /// <exception cref="DirectoryNotFoundException">Its directory does not exist.</exception>
    /// <exception cref="IOException">It exists, or another failure.</exception>
    public static SafeFileHandle CreateNew(string path) => Open(path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC);

    /// <summary>Opens <paramref name="path"/> for appending, creating it when missing.</summary>
    public static SafeFileHandle OpenForAppend(string path) => Open(path, O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC);

    /// <summary>Opens <paramref name="path"/> read-write, creating it when missing (a lock file).</summary>
    public static SafeFileHandle OpenOrCreate(string path) => Open(path, O_RDWR | O_CREAT | O_CLOEXEC);

    /// <summary>Writes all of <paramref name="bytes"/> at the file's position (its end, for <see cref="OpenForAppend"/>).</summary>
    public static unsafe void Write(SafeFileHandle file, ReadOnlySpan<byte> bytes)
    {
        ArgumentNullException.ThrowIfNull(file);
        fixed (byte* start = bytes)
        {
            for (var done = 0; done < bytes.Length;)
            {
                // The marshaller holds a reference on the handle for the call, so a close elsewhere cannot reuse its number.
                var written = (int)write(file, start + done, (nuint)(bytes.Length - done));
                if (written < 0 && Marshal.GetLastPInvokeError() is var errno && errno != EINTR)
                {
                    throw Failure("write", "a file", errno);
                }
                done += Math.Max(written, 0);
            }
        }
    }

    /// <summary>Takes <paramref name="file"/>'s exclusive flock without waiting; false when another holder has it.</summary>
    public static bool TryLockExclusive(SafeFileHandle file, string path)
    {
        while (true)
        {
            if (FileDescriptors.Call(file, fd => flock(fd, LOCK_EX | LOCK_NB)) == 0)
            {
                return true;
            }
            var errno = Marshal.GetLastPInvokeError();
            if (errno == EAGAIN)
            {
                return false;
            }
            if (errno != EINTR)
            {
                throw Failure("flock", path, errno);
            }
        }
    }

    /// <summary>mkdir of <paramref name="directory"/>: true when made, false when something of that name exists.</summary>
    /// <exception cref="DirectoryNotFoundException">Its parent does not exist.</exception>
    public static bool TryMakeDirectory(string directory)
    {
        if (mkdir(directory, DirectoryMode) == 0)
        {
            return true;
        }
        var errno = Marshal.GetLastPInvokeError();
        return errno == EEXIST ? false : throw Failure("mkdir", directory, errno);
    }

    /// <summary>Renames <paramref name="from"/> to <paramref name="to"/>, replacing what <paramref name="to"/> named.</summary>
    public static void Rename(string from, string to)
    {
        if (rename(from, to) != 0)
        {
            throw Failure("rename", $"{from} to {to}", Marshal.GetLastPInvokeError());
        }
    }

    private static SafeFileHandle Open(string path, int flags, bool missingIsFile = false)
    {
        while (true)
        {
            var fd = open(path, flags, FileMode);
            if (fd >= 0)
            {
                return new SafeFileHandle(fd, ownsHandle: true);
            }
            var errno = Marshal.GetLastPInvokeError();
            if (errno != EINTR)
            {
                throw Failure("open", path, errno, missingIsFile);
            }
        }
    }

    /// <summary>The exception .NET's own file calls throw for <paramref name="errno"/>, so callers' catch clauses read the same.</summary>
    internal static Exception Failure(string call, string path, int errno, bool missingIsFile = false)
    {
        var message = $"{call} {path} failed: {Marshal.GetPInvokeErrorMessage(errno)} (errno {errno}).";
        return errno switch
        {
            ENOENT when missingIsFile => new FileNotFoundException(message, path),
            ENOENT => new DirectoryNotFoundException(message),
            EACCES => new UnauthorizedAccessException(message),
            _ => new IOException(message, errno),
        };
    }

    [LibraryImport("libc", EntryPoint = "open", SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    private static partial int open(string path, int flags, int mode);

    [LibraryImport("libc", SetLastError = true)]
    private static unsafe partial nint write(SafeFileHandle fd, byte* buffer, nuint count);

    [LibraryImport("libc", SetLastError = true)]
    private static partial int flock(int fd, int operation);

    [LibraryImport("libc", SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    private static partial int mkdir(string path, int mode);

    [LibraryImport("libc", SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    private static partial int rename(string from, string to);
}
