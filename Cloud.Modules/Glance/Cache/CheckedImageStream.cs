using System.Security.Cryptography;
using Cloud.Modules.Glance.Streaming;
using Cloud.Modules.Kernel.IO;

namespace Cloud.Modules.Glance.Cache;

/// <summary>
/// Image bytes passed through while their MD5 is computed, optionally copied into a cache file (the caching tee). The
/// MD5 and the copy run on tasks of their own (<see cref="ParallelSinks"/>), so the reader gets each chunk as soon as the
/// source gives it instead of after the hash and the disk write. At the end of the data the MD5 is compared with the
/// expected one (with an expected size, before the read that hands out the last bytes returns, so an HTTP reader never
/// receives the whole of a corrupt image, and the copy is in the cache before the reader has all of it): a match runs <c>onValid</c> (the copy is closed by then, so it can be moved into
/// place); a mismatch runs <c>onInvalid</c> and fails the read with an <see cref="InvalidDataException"/>, so no reader
/// takes corrupt bytes for a whole image. Disposing before the end, a failing source or a dropped copy runs
/// <c>onAbandon</c>: a copy is kept only when it was read whole.
/// </summary>
public sealed class CheckedImageStream : ReadOnlyStream
{
    private readonly Stream _source;
    private readonly string? _expectedMd5;
    private readonly Func<long, string, CancellationToken, Task> _onValid;
    private readonly Func<Task> _onInvalid;
    private readonly Action _onAbandon;
    private readonly HashSink _md5 = new(HashAlgorithmName.MD5);
    private readonly CacheFileSink? _copy;
    private readonly ParallelSinks _sinks;
    private readonly long? _expectedSize;
    private long _length;
    private bool _ended;

    public CheckedImageStream(Stream source, string? expectedMd5, FileStream? copy, Func<long, string, CancellationToken, Task> onValid, Func<Task> onInvalid, Action onAbandon, long? expectedSize = null)
    {
        _source = source;
        _expectedSize = expectedSize;
        _expectedMd5 = expectedMd5;
        _onValid = onValid;
        _onInvalid = onInvalid;
        _onAbandon = onAbandon;
        _copy = copy is null ? null : new CacheFileSink(copy);
        _sinks = new ParallelSinks(_copy is null ? [_md5] : [_md5, _copy]);
    }

    public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
    {
        if (_ended || buffer.Length == 0)
        {
            return 0;
        }
        if (_expectedSize is { } size && size > _length && size - _length < buffer.Length)
        {
            // Never past the registered size: a longer source is found by the probe at the end, not handed out.
            buffer = buffer[..(int)(size - _length)];
        }
        var read = await _source.ReadAsync(buffer, cancellationToken).ConfigureAwait(false);
        if (read == 0)
        {
            await EndAsync(cancellationToken).ConfigureAwait(false);
            return 0;
        }
        _length += read;
        await _sinks.WriteAsync(buffer[..read], cancellationToken).ConfigureAwait(false);
        if (_length == _expectedSize)
        {
            // The last bytes go out only once they proved whole: checked, and the copy in the cache.
            if (await _source.ReadAsync(new byte[1], cancellationToken).ConfigureAwait(false) > 0)
            {
                _length++;
            }
            await EndAsync(cancellationToken).ConfigureAwait(false);
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
                _sinks.Dispose();
                _copy?.Dispose();
                _onAbandon();
            }
            _md5.Dispose();
            _source.Dispose();
        }
        base.Dispose(disposing);
    }

    private async Task EndAsync(CancellationToken ct)
    {
        _ended = true;
        await _sinks.CompleteAsync().ConfigureAwait(false);
        var md5 = _md5.Hex;
        if (_expectedSize is { } size && size != _length)
        {
            await _onInvalid().ConfigureAwait(false);
            throw new InvalidDataException($"image data has {(_length > size ? "more than " : "")}{_length} bytes, but {size} were expected");
        }
        await ExpectedMd5.CheckAsync(md5, _expectedMd5, _onInvalid).ConfigureAwait(false);
        if (_copy is { Dropped: true })
        {
            _onAbandon();
            return;
        }
        await _onValid(_length, md5, ct).ConfigureAwait(false);
    }
}
