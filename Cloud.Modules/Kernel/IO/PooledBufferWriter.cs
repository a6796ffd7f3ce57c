using System.Buffers;

namespace Cloud.Modules.Kernel.IO;

/// <summary>
/// A growable byte buffer rented from <see cref="ArrayPool{T}.Shared"/>: a listing's body (about 160 KB for a page of
/// 1,000 objects) is built whole to answer with a Content-Length, as swift does, without allocating large-object-heap
/// arrays on every request (a MemoryStream and its ToArray copy did, twice per page).
/// </summary>
public sealed class PooledBufferWriter : IBufferWriter<byte>, IDisposable
{
    private byte[] _buffer;

    /// <summary>A buffer of at least <paramref name="initialSize"/> bytes to start with (64 KiB unless told).</summary>
    public PooledBufferWriter(int initialSize = 64 * 1024) => _buffer = ArrayPool<byte>.Shared.Rent(initialSize);

    public int Length { get; private set; }

    /// <summary>What was written so far.</summary>
    public ReadOnlyMemory<byte> Written => _buffer.AsMemory(0, Length);

    public void Advance(int count)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(count);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(count, _buffer.Length - Length);
        Length += count;
    }

    public Memory<byte> GetMemory(int sizeHint = 0)
    {
        // Grow first: _buffer may be replaced.
        var free = Ensure(sizeHint);
        return _buffer.AsMemory(free);
    }

    public Span<byte> GetSpan(int sizeHint = 0)
    {
        var free = Ensure(sizeHint);
        return _buffer.AsSpan(free);
    }

    public void Dispose()
    {
        var buffer = Interlocked.Exchange(ref _buffer, []);
        if (buffer.Length > 0)
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    // Grows to at least sizeHint free bytes (at least one), doubling; returns where the free space starts.
    private int Ensure(int sizeHint)
    {
        var needed = Length + Math.Max(sizeHint, 1);
        if (needed > _buffer.Length)
        {
            var bigger = ArrayPool<byte>.Shared.Rent(Math.Max(needed, _buffer.Length * 2));
            _buffer.AsSpan(0, Length).CopyTo(bigger);
            ArrayPool<byte>.Shared.Return(_buffer);
            _buffer = bigger;
        }
        return Length;
    }
}
