namespace Cloud.Tests.Support;

/// <summary>An upload body that yields <paramref name="goodBytes"/> bytes, then fails as a dropped connection does.</summary>
public sealed class BrokenStream(long goodBytes) : Stream
{
    private long _sent;

    public override bool CanRead => true;

    public override bool CanSeek => false;

    public override bool CanWrite => false;

    public override long Length => throw new NotSupportedException();

    public override long Position { get => _sent; set => throw new NotSupportedException(); }

    public override int Read(byte[] buffer, int offset, int count)
    {
        if (_sent >= goodBytes)
        {
            throw new IOException("The connection was reset by the peer.");
        }
        var n = (int)Math.Min(count, goodBytes - _sent);
        Array.Fill(buffer, (byte)0x5a, offset, n);
        _sent += n;
        return n;
    }

    public override void Flush()
    {
    }

    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

    public override void SetLength(long value) => throw new NotSupportedException();

    public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
}
