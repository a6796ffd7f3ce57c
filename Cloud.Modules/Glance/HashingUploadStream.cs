using System.Security.Cryptography;
using Cloud.Modules.Kernel;
using Cloud.Modules.Kernel.IO;

namespace Cloud.Modules.Glance;

/// <summary>
/// The body of an upload as the store reads it: counts the bytes and computes MD5 and SHA-512 on the fly, so the
/// image is never buffered. Past <paramref name="maxBytes"/> it fails (413); at the end it fails if a declared size
/// disagrees (400). Either failure reaches the store as a broken stream, which then keeps nothing.
/// </summary>
public sealed class HashingUploadStream(Stream source, long? declaredSize, long maxBytes) : ReadOnlyStream
{
    private readonly IncrementalHash _md5 = IncrementalHash.CreateHash(HashAlgorithmName.MD5);
    private readonly IncrementalHash _sha512 = IncrementalHash.CreateHash(HashAlgorithmName.SHA512);
    private string? _md5Hex;
    private string? _sha512Hex;

    /// <summary>Bytes read so far.</summary>
    public long Count { get; private set; }

    /// <summary>MD5 of the whole body, hex; available once the body was read to its end.</summary>
    public string Md5Hex => _md5Hex ?? throw new InvalidOperationException("The upload has not been read to its end.");

    /// <summary>SHA-512 of the whole body, hex.</summary>
    public string Sha512Hex => _sha512Hex ?? throw new InvalidOperationException("The upload has not been read to its end.");

    public override long Position { get => Count; set => throw new NotSupportedException(); }

    public override int Read(byte[] buffer, int offset, int count) => Observe(buffer.AsSpan(offset, count), source.Read(buffer, offset, count));

    public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
    {
        var read = await source.ReadAsync(buffer, cancellationToken).ConfigureAwait(false);
        return Observe(buffer.Span, read);
    }

    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            _md5.Dispose();
            _sha512.Dispose();
        }
        base.Dispose(disposing);
    }

    private int Observe(Span<byte> buffer, int read)
    {
        if (read == 0)
        {
            if (declaredSize is { } expected && expected != Count)
            {
                throw CloudException.Invalid($"Size of the uploaded data ({Count} bytes) does not match the declared size ({expected} bytes).");
            }
            _md5Hex ??= Convert.ToHexStringLower(_md5.GetHashAndReset());
            _sha512Hex ??= Convert.ToHexStringLower(_sha512.GetHashAndReset());
            return 0;
        }
        Count += read;
        if (Count > maxBytes)
        {
            throw CloudException.TooLarge($"Image exceeds the storage size limit of {maxBytes} bytes.");
        }
        _md5.AppendData(buffer[..read]);
        _sha512.AppendData(buffer[..read]);
        return read;
    }
}
