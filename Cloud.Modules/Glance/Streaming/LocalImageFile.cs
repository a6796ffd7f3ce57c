using System.Security.Cryptography;
using Cloud.Modules.Kernel.IO;
using Microsoft.Win32.SafeHandles;

namespace Cloud.Modules.Glance.Streaming;

/// <summary>
/// Image bytes read straight from a file on this node's disk (the file store's image, a cached copy): positional reads
/// (<see cref="RandomAccess"/>) of whatever the caller's buffer holds, through no stream buffer of its own. The file is
/// opened shareable for reading and deleting, so eviction or a purge never breaks a reader that has it open.
/// <para>
/// With an expected MD5 (a whole cached file), the MD5 runs on a task of its own (<see cref="ParallelSinks"/>) while the
/// bytes are read, and the read that would hand out the file's last bytes first waits for it: on a mismatch
/// <c>onMismatch</c> runs and that read fails with an <see cref="InvalidDataException"/>, so no reader ever receives the
/// whole of a corrupt file.
/// </para>
/// </summary>
public sealed class LocalImageFile : ReadOnlyStream
{
    private readonly SafeFileHandle _file;
    private readonly string? _expectedMd5;
    private readonly Func<Task>? _onMismatch;
    private readonly HashSink? _md5;
    private readonly ParallelSinks? _hashing;
    private DirectReadAhead? _direct;
    private long _read;
    private bool _verified;

    private LocalImageFile(SafeFileHandle file, long offset, long length, string? expectedMd5, Func<Task>? onMismatch)
    {
        _file = file;
        Offset = offset;
        Length = length;
        _expectedMd5 = expectedMd5;
        _onMismatch = onMismatch;
        if (expectedMd5 is not null)
        {
            _md5 = new HashSink(HashAlgorithmName.MD5);
            _hashing = new ParallelSinks([_md5]);
        }
    }

    /// <summary>Where in the file the data starts.</summary>
    public long Offset { get; }

    /// <summary>Bytes of data from <see cref="Offset"/>.</summary>
    public override long Length { get; }

    /// <summary>
    /// Opens <paramref name="path"/> from <paramref name="offset"/> for <paramref name="length"/> bytes (null: to its end).
    /// <paramref name="direct"/>: read with <c>O_DIRECT</c> where the file system allows it (<see cref="DirectReadAhead"/>),
    /// for a file read once and not worth a place in the page cache.
    /// A missing file throws <see cref="FileNotFoundException"/>; a range outside it <see cref="ArgumentOutOfRangeException"/>.
    /// </summary>
    public static LocalImageFile Open(string path, long offset = 0, long? length = null, bool direct = false)
    {
        var file = OpenShared(path);
        var size = RandomAccess.GetLength(file);
        if (offset < 0 || offset > size || length < 0)
        {
            file.Dispose();
            throw new ArgumentOutOfRangeException(nameof(offset), $"Range {offset}+{length} is outside the file's {size} bytes.");
        }
        var image = new LocalImageFile(file, offset, Math.Min(length ?? long.MaxValue, size - offset), null, null);
        if (direct)
        {
            image._direct = DirectReadAhead.TryStart(file, image.Offset, image.Length);
        }
        return image;
    }

    /// <summary>Opens the whole of <paramref name="path"/>, checked against <paramref name="expectedMd5"/> as it is read.</summary>
    public static LocalImageFile OpenChecked(string path, string expectedMd5, Func<Task> onMismatch)
    {
        var file = OpenShared(path);
        return new LocalImageFile(file, 0, RandomAccess.GetLength(file), expectedMd5, onMismatch);
    }

    public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
    {
        var wanted = (int)Math.Min(buffer.Length, Length - _read);
        if (wanted <= 0)
        {
            if (_hashing is not null && Length == 0 && !_verified)
            {
                await VerifyAsync().ConfigureAwait(false);
            }
            return 0;
        }
        var read = _direct is null
            ? await RandomAccess.ReadAsync(_file, buffer[..wanted], Offset + _read, cancellationToken).ConfigureAwait(false)
            : await _direct.ReadAsync(buffer[..wanted], cancellationToken).ConfigureAwait(false);
        if (read == 0)
        {
            throw new IOException($"The image file ended {Length - _read} bytes early (truncated while read).");
        }
        _read += read;
        if (_hashing is not null)
        {
            await _hashing.WriteAsync(buffer[..read], cancellationToken).ConfigureAwait(false);
            if (_read == Length)
            {
                await VerifyAsync().ConfigureAwait(false);
            }
        }
        return read;
    }

    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            _direct?.Dispose();
            _hashing?.Dispose();
            _md5?.Dispose();
            _file.Dispose();
        }
        base.Dispose(disposing);
    }

    private async Task VerifyAsync()
    {
        _verified = true;
        await _hashing!.CompleteAsync().ConfigureAwait(false);
        await ExpectedMd5.CheckAsync(_md5!.Hex, _expectedMd5, _onMismatch!).ConfigureAwait(false);
    }

    private static SafeFileHandle OpenShared(string path) =>
        File.OpenHandle(path, FileMode.Open, FileAccess.Read, FileShare.Read | FileShare.Delete, FileOptions.Asynchronous | FileOptions.SequentialScan);
}
