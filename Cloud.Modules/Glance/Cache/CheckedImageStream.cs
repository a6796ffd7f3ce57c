using Cloud.Modules.Kernel.IO;
using System.Security.Cryptography;

namespace Cloud.Modules.Glance.Cache;

/// <summary>
/// Image bytes passed through while their MD5 is computed, optionally copied into a cache file (the caching tee).
/// At the end of the data the MD5 is compared with the expected one: a match runs <c>onValid</c> (the copy is closed
/// by then, so it can be moved into place); a mismatch runs <c>onInvalid</c> and fails the read with an
/// <see cref="InvalidDataException"/>, so no reader takes corrupt bytes for a whole image. Disposing before the end,
/// or a failing source, runs <c>onAbandon</c>: a copy is kept only when it was read whole.
/// </summary>
public sealed class CheckedImageStream(
    Stream source,
    string? expectedMd5,
    FileStream? copy,
    Func<long, string, CancellationToken, Task> onValid,
    Func<Task> onInvalid,
    Action onAbandon) : ReadOnlyStream
{
    private readonly IncrementalHash _md5 = IncrementalHash.CreateHash(HashAlgorithmName.MD5);
    private readonly bool _copying = copy is not null;
    private FileStream? _copy = copy;
    private long _length;
    private bool _ended;

    public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
    {
        if (_ended || buffer.Length == 0)
        {
            return 0;
        }
        var read = await source.ReadAsync(buffer, cancellationToken).ConfigureAwait(false);
        if (read == 0)
        {
            await EndAsync(cancellationToken).ConfigureAwait(false);
            return 0;
        }
        _md5.AppendData(buffer.Span[..read]);
        _length += read;
        if (_copy is not null)
        {
            try
            {
                await _copy.WriteAsync(buffer[..read], cancellationToken).ConfigureAwait(false);
            }
            catch (IOException)
            {
                // A full cache disk must not break the reader's download: the image is just not cached.
                DropCopy();
            }
        }
        return read;
    }

    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            if (!_ended)
            {
                _ended = true;
                _copy?.Dispose();
                onAbandon();
            }
            _md5.Dispose();
            source.Dispose();
        }
        base.Dispose(disposing);
    }

    private async Task EndAsync(CancellationToken ct)
    {
        _ended = true;
        if (_copy is not null)
        {
            await _copy.FlushAsync(ct).ConfigureAwait(false);
            await _copy.DisposeAsync().ConfigureAwait(false);
        }
        var md5 = Convert.ToHexString(_md5.GetHashAndReset()).ToLowerInvariant();
        if (expectedMd5 is not null && !string.Equals(md5, expectedMd5, StringComparison.OrdinalIgnoreCase))
        {
            await onInvalid().ConfigureAwait(false);
            throw new InvalidDataException($"image data has MD5 {md5}, but {expectedMd5} was expected");
        }
        if (_copy is not null || !_copying)
        {
            await onValid(_length, md5, ct).ConfigureAwait(false);
        }
    }

    private void DropCopy()
    {
        _copy?.Dispose();
        _copy = null;
        onAbandon();
    }
}
