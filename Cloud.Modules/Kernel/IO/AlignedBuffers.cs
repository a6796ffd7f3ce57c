using System.Collections.Concurrent;
using System.Runtime.InteropServices;

namespace Cloud.Modules.Kernel.IO;

/// <summary>
/// Pinned buffers of <see cref="Size"/> bytes whose memory starts on a <see cref="DirectWrites.Alignment"/> boundary,
/// as a direct write needs, kept for reuse (a few; more are dropped to the GC) so an upload allocates none.
/// </summary>
public static class AlignedBuffers
{
    /// <summary>The size of every buffer: 1 MiB, large enough that a direct write keeps the disk busy.</summary>
    public const int Size = 1024 * 1024;

    private const int Kept = 8;

    private static readonly ConcurrentQueue<byte[]> Free = new();

    /// <summary>A buffer; give it back with <see cref="Return"/>.</summary>
    public static byte[] Rent() =>
        Free.TryDequeue(out var array) ? array : GC.AllocateUninitializedArray<byte>(Size + DirectWrites.Alignment, pinned: true);

    /// <summary>The aligned <see cref="Size"/> bytes of a rented buffer (the array is pinned: the address never moves).</summary>
    public static Memory<byte> Aligned(byte[] array)
    {
        ArgumentNullException.ThrowIfNull(array);
        var address = Marshal.UnsafeAddrOfPinnedArrayElement(array, 0);
        var skip = (int)((DirectWrites.Alignment - (address & (DirectWrites.Alignment - 1))) & (DirectWrites.Alignment - 1));
        return array.AsMemory(skip, Size);
    }

    /// <summary>Takes a buffer back.</summary>
    public static void Return(byte[] array)
    {
        ArgumentNullException.ThrowIfNull(array);
        if (Free.Count < Kept)
        {
            Free.Enqueue(array);
        }
    }
}
