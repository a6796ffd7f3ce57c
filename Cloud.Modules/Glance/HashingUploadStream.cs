using System.Security.Cryptography;
using Cloud.Modules.Glance.Streaming;
using Cloud.Modules.Kernel;
using Cloud.Modules.Kernel.IO;

namespace Cloud.Modules.Glance;

/// <summary>
/// The body of an upload as the store reads it: counts the bytes while MD5 and SHA-512 are computed on tasks of their
/// own (<see cref="ParallelSinks"/>), in parallel with the store's write, so the image is never buffered whole and the
/// request's thread only moves bytes. Each read fills the store's buffer as far as the body allows, so the hashes and the
/// store see large chunks. Past the byte cap it fails (413); at the end it fails if a declared size
/// disagrees (400). Either failure reaches the store as a broken stream, which then keeps nothing.
/// </summary>
public sealed class HashingUploadStream : ReadOnlyStream
{
    private readonly Stream _source;
    private readonly long? _declaredSize;
    private readonly long _maxBytes;
    private readonly HashSink _md5 = new(HashAlgorithmName.MD5);
    private readonly HashSink _sha512 = new(HashAlgorithmName.SHA512);
    private readonly ParallelSinks _hashes;
    private bool _ended;

    public HashingUploadStream(Stream source, long? declaredSize, long maxBytes)
    {
        _source = source;
        _declaredSize = declaredSize;
        _maxBytes = maxBytes;
        _hashes = new ParallelSinks([_md5, _sha512]);
    }

    /// <summary>Bytes read so far.</summary>
    public long Count { get; private set; }

    /// <summary>MD5 of the whole body, hex; available once the body was read to its end.</summary>
    public string Md5Hex => _md5.Hex;

    /// <summary>SHA-512 of the whole body, hex.</summary>
    public string Sha512Hex => _sha512.Hex;

    public override long Position { get => Count; set => throw new NotSupportedException(); }

    public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
    {
        if (_ended || buffer.IsEmpty)
        {
            return 0;
        }
        var read = 0;
        int n;
        while (read < buffer.Length && (n = await _source.ReadAsync(buffer[read..], cancellationToken).ConfigureAwait(false)) > 0)
        {
            read += n;
        }
        if (read == 0)
        {
            await EndAsync().ConfigureAwait(false);
            return 0;
        }
        Count += read;
        if (Count > _maxBytes)
        {
            throw CloudException.TooLarge($"Image exceeds the storage size limit of {_maxBytes} bytes.");
        }
        await _hashes.WriteAsync(buffer[..read], cancellationToken).ConfigureAwait(false);
        return read;
    }

    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            _hashes.Dispose();
            _md5.Dispose();
            _sha512.Dispose();
        }
        base.Dispose(disposing);
    }

    public override async ValueTask DisposeAsync()
    {
        await _hashes.DisposeAsync().ConfigureAwait(false);
        _md5.Dispose();
        _sha512.Dispose();
        await base.DisposeAsync().ConfigureAwait(false);
    }

    private async Task EndAsync()
    {
        if (_declaredSize is { } expected && expected != Count)
        {
            throw CloudException.Invalid($"Size of the uploaded data ({Count} bytes) does not match the declared size ({expected} bytes).");
        }
        _ended = true;
        await _hashes.CompleteAsync().ConfigureAwait(false);
    }
}
