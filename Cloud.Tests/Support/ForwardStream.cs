using Cloud.Modules.Kernel.IO;
using Cloud.Modules.Glance;

namespace Cloud.Tests.Support;

/// <summary>
/// A non-seekable stream over bytes, as a request body is: its length is unknown to the reader. With
/// <c>failAfter</c> it throws an <see cref="IOException"/> once that many bytes have been read, as a client that
/// disconnects half-way; <c>beforeRead</c> sees the bytes read so far before each read.
/// </summary>
public sealed class ForwardStream(byte[] data, long? failAfter = null, Action<long>? beforeRead = null) : ReadOnlyStream
{
    private long _position;

    /// <summary>Bytes handed out so far.</summary>
    public long Consumed => _position;

    /// <summary>Deterministic test content of <paramref name="size"/> bytes, different for each <paramref name="seed"/>.</summary>
    public static byte[] Bytes(int size, int seed = 1)
    {
        var bytes = new byte[size];
        new Random(seed).NextBytes(bytes);
        return bytes;
    }

    public override ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
    {
        beforeRead?.Invoke(_position);
        if (failAfter is { } limit && _position >= limit)
        {
            throw new IOException("the client went away");
        }
        var n = (int)Math.Min(buffer.Length, Math.Min(data.Length - _position, (failAfter ?? long.MaxValue) - _position));
        data.AsMemory((int)_position, n).CopyTo(buffer);
        _position += n;
        return ValueTask.FromResult(n);
    }
}
