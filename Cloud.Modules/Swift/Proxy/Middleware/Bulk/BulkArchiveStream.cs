namespace Cloud.Modules.Swift.Proxy.Middleware.Bulk;

/// <summary>
/// The uncompressed tar stream of an upload, read once: it counts the bytes the tar reader got (to tell an empty or
/// truncated first header from a bad one, as tarfile does) and turns a decompressor's failure into tarfile's words.
/// The decompressor is opened at the first read, so a bad stream header fails there too.
/// </summary>
public sealed class BulkArchiveStream(Func<Stream> open, string compression) : Stream
{
    private Stream? _inner;

    /// <summary>Uncompressed bytes read so far.</summary>
    public long Consumed { get; private set; }

    public override bool CanRead => true;

    public override bool CanSeek => false;

    public override bool CanWrite => false;

    public override long Length => throw new NotSupportedException();

    public override long Position { get => Consumed; set => throw new NotSupportedException(); }

    public override int Read(byte[] buffer, int offset, int count) => ReadAsync(buffer.AsMemory(offset, count)).AsTask().GetAwaiter().GetResult();

    public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
    {
        int read;
        try
        {
            _inner ??= open();
            read = await _inner.ReadAsync(buffer, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception e) when (e is not OperationCanceledException && compression.Length > 0)
        {
            // Kestrel's own read failures are IOExceptions too, but a client that went away never sees this answer.
            throw new BulkArchiveException(compression == "gz" && Consumed == 0 ? "not a gzip file" : "invalid compressed data", e);
        }
        Consumed += read;
        return read;
    }

    public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
        ReadAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

    public override void Flush()
    {
    }

    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

    public override void SetLength(long value) => throw new NotSupportedException();

    public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();

    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            _inner?.Dispose();
        }
        base.Dispose(disposing);
    }
}
