using System.Buffers;
using System.Collections.Concurrent;
using System.Runtime.InteropServices;

namespace Cloud.Modules.Kernel.Http;

/// <summary>
/// A memory pool of large pinned blocks, for the Kestrel of an endpoint that receives bulk bodies. Kestrel's socket
/// transport receives into one pool block at a time, and its default pool's blocks are 4 KiB: a 256 MiB upload is 65,536
/// receive calls on every connection it crosses, each with its pipe flush and reader wake-up. With 64 KiB blocks a busy
/// connection reads up to 16 times as much per call. The blocks are pinned (the pinned object heap, as Kestrel's own
/// pool), so a socket receive or send pins nothing; a bounded number of returned blocks is kept for reuse, the rest is
/// left to the collector, so a burst of connections does not hold its memory for ever.
/// </summary>
public sealed class LargeBlockMemoryPool : MemoryPool<byte>
{
    /// <summary>The block size of the bulk endpoints (Swift's servers, Glance).</summary>
    public const int BulkBlockSize = 64 * 1024;

    private readonly ConcurrentQueue<byte[]> _free = new();
    private readonly int _blockSize;
    private readonly int _maxRetained;
    private int _retained;

    /// <summary>A pool whose every block is <paramref name="blockSize"/> bytes; it keeps up to <paramref name="maxRetained"/> free ones.</summary>
    public LargeBlockMemoryPool(int blockSize, int maxRetained)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(blockSize);
        ArgumentOutOfRangeException.ThrowIfNegative(maxRetained);
        _blockSize = blockSize;
        _maxRetained = maxRetained;
    }

    /// <summary>Every block's size: a pipe asks the pool for no more, and uses all of what it is given.</summary>
    public override int MaxBufferSize => _blockSize;

    /// <summary>How many free blocks are kept for reuse now.</summary>
    public int Retained => Volatile.Read(ref _retained);

    public override IMemoryOwner<byte> Rent(int minBufferSize = -1)
    {
        ArgumentOutOfRangeException.ThrowIfGreaterThan(minBufferSize, _blockSize);
        if (_free.TryDequeue(out var array))
        {
            Interlocked.Decrement(ref _retained);
        }
        else
        {
            array = GC.AllocateUninitializedArray<byte>(_blockSize, pinned: true);
        }
        return new Block(this, array);
    }

    protected override void Dispose(bool disposing)
    {
        // Blocks still rented come back through Return and are kept or dropped as usual; the free ones go to the collector.
        _free.Clear();
    }

    private void Return(byte[] array)
    {
        if (Interlocked.Increment(ref _retained) <= _maxRetained)
        {
            _free.Enqueue(array);
        }
        else
        {
            Interlocked.Decrement(ref _retained);
        }
    }

    /// <summary>One rented block; disposing it twice returns it once.</summary>
    private sealed class Block(LargeBlockMemoryPool pool, byte[] array) : IMemoryOwner<byte>
    {
        private byte[]? _array = array;

        public Memory<byte> Memory => _array is { } a
            ? MemoryMarshal.CreateFromPinnedArray(a, 0, a.Length)
            : throw new ObjectDisposedException(nameof(LargeBlockMemoryPool));

        public void Dispose()
        {
            if (Interlocked.Exchange(ref _array, null) is { } a)
            {
                pool.Return(a);
            }
        }
    }
}
