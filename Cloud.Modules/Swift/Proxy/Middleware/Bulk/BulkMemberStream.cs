namespace Cloud.Modules.Swift.Proxy.Middleware.Bulk;

/// <summary>
/// One tar member's data as an object PUT's body. When the archive ends before the member's declared size it fails
/// the read (so the PUT writes nothing) and says so, and the extraction stops as tarfile's "unexpected end of data".
/// </summary>
public sealed class BulkMemberStream(Stream data, long length) : Stream
{
    private long _read;

    /// <summary>The archive ended (or failed) inside this member.</summary>
    public bool Truncated { get; private set; }

    public override bool CanRead => true;

    public override bool CanSeek => false;

    public override bool CanWrite => false;

    public override long Length => length;

    public override long Position { get => _read; set => throw new NotSupportedException(); }

    public override int Read(byte[] buffer, int offset, int count) => ReadAsync(buffer.AsMemory(offset, count)).AsTask().GetAwaiter().GetResult();

    public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
    {
        if (_read >= length)
        {
            return 0;
        }
        int read;
        try
        {
            read = await data.ReadAsync(buffer[..(int)Math.Min(buffer.Length, length - _read)], cancellationToken).ConfigureAwait(false);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            Truncated = true;
            throw new EndOfStreamException("unexpected end of data", e);
        }
        if (read == 0)
        {
            Truncated = true;
            throw new EndOfStreamException("unexpected end of data");
        }
        _read += read;
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
}
