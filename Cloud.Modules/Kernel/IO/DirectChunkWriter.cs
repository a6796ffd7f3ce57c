using Microsoft.Win32.SafeHandles;

namespace Cloud.Modules.Kernel.IO;

/// <summary>
/// Writes a new file's chunks at their offsets, direct (<see cref="DirectWrites"/>: no copy into the page cache) for as
/// long as each chunk is whole and aligned, so a large upload costs the kernel no copy of its bytes. The first
/// unaligned chunk (the tail) and everything after it go buffered, as does the whole file where direct I/O is refused
/// (by <c>fcntl</c>, or by the write itself with EINVAL, which is then retried buffered); buffered bytes are handed to
/// an <see cref="EarlyWriteback"/> so they do not wait in the page cache for the final fsync. Only a way to write: the
/// caller's fsync stays the durability point, and the one that reports a disk's errors.
/// </summary>
public sealed class DirectChunkWriter
{
    private readonly SafeFileHandle _file;
    private readonly EarlyWriteback _writeback;

    /// <summary>Turns direct writes on for <paramref name="file"/> where the system and file system allow it.</summary>
    public DirectChunkWriter(SafeFileHandle file, EarlyWriteback writeback)
    {
        ArgumentNullException.ThrowIfNull(writeback);
        _file = file;
        _writeback = writeback;
        Direct = DirectWrites.TrySet(file, direct: true);
    }

    /// <summary>Whether the next aligned chunk goes direct.</summary>
    public bool Direct { get; private set; }

    /// <summary>
    /// Writes <paramref name="chunk"/> at <paramref name="offset"/>. While <see cref="Direct"/>, the chunk's memory and
    /// offset must be <see cref="DirectWrites.Alignment"/>-aligned (<see cref="AlignedBuffers"/>); its length need not be.
    /// Calls must not overlap.
    /// </summary>
    public async Task WriteAsync(ReadOnlyMemory<byte> chunk, long offset, CancellationToken cancellationToken)
    {
        if (Direct && chunk.Length % DirectWrites.Alignment != 0)
        {
            // The tail: a direct write's length must be aligned too.
            if (!DirectWrites.TrySet(_file, direct: false))
            {
                throw new IOException("Cannot turn O_DIRECT off for the tail of a file.");
            }
            Direct = false;
        }
        try
        {
            await RandomAccess.WriteAsync(_file, chunk, offset, cancellationToken).ConfigureAwait(false);
        }
        catch (IOException) when (Direct && DirectWrites.TrySet(_file, direct: false))
        {
            // A file system that took O_DIRECT but refuses the write (EINVAL): this chunk again, and the rest, buffered.
            Direct = false;
            await RandomAccess.WriteAsync(_file, chunk, offset, cancellationToken).ConfigureAwait(false);
        }
        if (!Direct)
        {
            _writeback.Advance(chunk.Length);
        }
    }
}
