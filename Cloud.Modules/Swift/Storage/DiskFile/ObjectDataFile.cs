using System.Runtime.InteropServices;
using Cloud.Modules.Kernel.IO;
using Microsoft.Win32.SafeHandles;

namespace Cloud.Modules.Swift.Storage.DiskFile;

/// <summary>
/// An object's .data file open for reading, through the four system calls a GET needs: open, lseek (the size), pread,
/// close. A FileStream costs eight for a 4 KiB object (strace of a GET): an fstat to refuse a directory, flock LOCK_SH
/// and LOCK_UN (.NET's emulation of FileShare; nothing locks object files, which are renamed into place whole and never
/// changed), a posix_fadvise and a second fstat for Length; a HEAD, which needs only the size, paid the same.
/// Reads run on the caller's thread: a file read on Linux is a blocking pread wherever it runs, and FileStream's
/// ReadAsync first hands it to another pool thread.
/// </summary>
internal sealed partial class ObjectDataFile : Stream
{
    private const int SEEK_END = 2;
    private const int POSIX_FADV_SEQUENTIAL = 2;
    private const int EINTR = 4;

    // Larger files are streamed in pieces: ask the kernel for its wider readahead, as FileOptions.SequentialScan did.
    private const long SequentialAbove = 64 * 1024;

    private readonly SafeFileHandle _handle;
    private long _position;

    private ObjectDataFile(SafeFileHandle handle, long length)
    {
        _handle = handle;
        Length = length;
    }

    /// <summary>Opens <paramref name="path"/>.</summary>
    /// <exception cref="FileNotFoundException">There is no such file (a newer write removed it).</exception>
    /// <exception cref="IOException">Any other failure.</exception>
    public static ObjectDataFile Open(string path)
    {
        var handle = PosixFiles.OpenRead(path);
        try
        {
            // The file never changes once installed, so its size now is its size for as long as it is open.
            var length = lseek(handle, 0, SEEK_END);
            if (length < 0)
            {
                throw PosixFiles.Failure("lseek", path, Marshal.GetLastPInvokeError());
            }
            if (length > SequentialAbove)
            {
                // Advice only: a refusal changes nothing a reader sees.
                _ = posix_fadvise(handle, 0, 0, POSIX_FADV_SEQUENTIAL);
            }
            return new ObjectDataFile(handle, length);
        }
        catch
        {
            handle.Dispose();
            throw;
        }
    }

    public override bool CanRead => !_handle.IsClosed;

    public override bool CanSeek => !_handle.IsClosed;

    public override bool CanWrite => false;

    public override long Length { get; }

    public override long Position
    {
        get => _position;
        set => _position = value >= 0 ? value : throw new ArgumentOutOfRangeException(nameof(value));
    }

    public override unsafe int Read(Span<byte> buffer)
    {
        ObjectDisposedException.ThrowIf(_handle.IsClosed, this);
        if (buffer.IsEmpty || _position >= Length)
        {
            return 0;
        }
        nint read;
        fixed (byte* p = buffer)
        {
            do
            {
                read = pread(_handle, p, (nuint)buffer.Length, _position);
            }
            while (read < 0 && Marshal.GetLastPInvokeError() == EINTR);
        }
        if (read < 0)
        {
            throw PosixFiles.Failure("pread", "an object's data file", Marshal.GetLastPInvokeError());
        }
        _position += read;
        return (int)read;
    }

    public override int Read(byte[] buffer, int offset, int count) => Read(buffer.AsSpan(offset, count));

    public override ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default) =>
        cancellationToken.IsCancellationRequested ? ValueTask.FromCanceled<int>(cancellationToken) : ValueTask.FromResult(Read(buffer.Span));

    public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
        ReadAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

    public override long Seek(long offset, SeekOrigin origin) => Position = origin switch
    {
        SeekOrigin.Begin => offset,
        SeekOrigin.Current => _position + offset,
        SeekOrigin.End => Length + offset,
        _ => throw new ArgumentOutOfRangeException(nameof(origin)),
    };

    public override void Flush()
    {
    }

    public override void SetLength(long value) => throw new NotSupportedException();

    public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();

    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            _handle.Dispose();
        }
        base.Dispose(disposing);
    }

    [LibraryImport("libc", SetLastError = true)]
    private static partial long lseek(SafeFileHandle fd, long offset, int whence);

    [LibraryImport("libc", SetLastError = true)]
    private static unsafe partial nint pread(SafeFileHandle fd, byte* buffer, nuint count, long offset);

    [LibraryImport("libc")]
    private static partial int posix_fadvise(SafeFileHandle fd, long offset, long length, int advice);
}
