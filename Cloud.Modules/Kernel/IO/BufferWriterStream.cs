using System.Buffers;

namespace Cloud.Modules.Kernel.IO;

/// <summary>
/// A write-only stream that copies what it is given into an <see cref="IBufferWriter{T}"/> (a response's PipeWriter)
/// and never flushes it: for writers that need a <see cref="Stream"/> (XmlWriter) to fill a response's own buffers
/// synchronously, the caller flushing once at the end. A MemoryStream in between grew by doubling through the large
/// object heap and was copied again (XmlUtf8RawTextWriter.FlushBuffer 30 % of DescribeInstances with 1,000 instances).
/// </summary>
public sealed class BufferWriterStream(IBufferWriter<byte> output) : Stream
{
    public override bool CanRead => false;

    public override bool CanSeek => false;

    public override bool CanWrite => true;

    public override long Length => throw new NotSupportedException();

    public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }

    public override void Write(byte[] buffer, int offset, int count) => Write(buffer.AsSpan(offset, count));

    public override void Write(ReadOnlySpan<byte> buffer) => output.Write(buffer);

    // Copied at once: Stream's own WriteAsync would go through BeginWrite on the thread pool for each piece.
    public override ValueTask WriteAsync(ReadOnlyMemory<byte> buffer, CancellationToken cancellationToken = default)
    {
        output.Write(buffer.Span);
        return ValueTask.CompletedTask;
    }

    public override Task WriteAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken)
    {
        Write(buffer.AsSpan(offset, count));
        return Task.CompletedTask;
    }

    public override Task FlushAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    /// <summary>Nothing to do: the bytes are in the buffer writer already, and sending them is its owner's flush.</summary>
    public override void Flush()
    {
    }

    public override int Read(byte[] buffer, int offset, int count) => throw new NotSupportedException();

    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

    public override void SetLength(long value) => throw new NotSupportedException();
}
