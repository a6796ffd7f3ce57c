namespace Cloud.Modules.Swift.Proxy.Middleware.FormPost;

/// <summary>A file of a form read up to the form's max_file_size: one byte more and the read fails, and <see cref="Exceeded"/> tells why.</summary>
public sealed class CappedStream(Stream inner, long max) : Stream
{
    private long _read;

    /// <summary>The file was longer than the form allows.</summary>
    public bool Exceeded { get; private set; }

    public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
    {
        var read = await inner.ReadAsync(buffer, cancellationToken).ConfigureAwait(false);
        _read += read;
        if (_read > max)
        {
            Exceeded = true;
            // An IOException, so the object controller ends the upload as a bad request and stores nothing.
            throw new IOException("max_file_size exceeded");
        }
        return read;
    }

    public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
        ReadAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

    public override int Read(byte[] buffer, int offset, int count) => ReadAsync(buffer, offset, count).GetAwaiter().GetResult();

    public override bool CanRead => true;
    public override bool CanSeek => false;
    public override bool CanWrite => false;
    public override long Length => throw new NotSupportedException();
    public override long Position { get => _read; set => throw new NotSupportedException(); }
    public override void Flush() { }
    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
    public override void SetLength(long value) => throw new NotSupportedException();
    public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
}
