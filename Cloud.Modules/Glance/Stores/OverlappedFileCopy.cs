using Cloud.Modules.Kernel.IO;

namespace Cloud.Modules.Glance.Stores;

/// <summary>
/// Copies a stream into a new file with two aligned buffers: the next chunk is read (off the socket, through the
/// hashes) while the previous one is written, instead of the one after the other on one thread. Each buffer is filled
/// whole before it is written, so every chunk but the last is aligned and goes direct (<see cref="DirectChunkWriter"/>):
/// a 1 GiB upload written through the page cache spent 28 % of the server's CPU samples in the kernel's copy of its
/// bytes (perf, copy_folio_from_iter_atomic). At most one write is in flight, so the file's bytes land in order. When
/// a read fails, the write in flight is waited for before the failure goes on, so the caller never closes the file
/// under a write.
/// </summary>
public static class OverlappedFileCopy
{
    /// <summary>
    /// Copies all of <paramref name="source"/> through <paramref name="writer"/> from offset 0, in chunks of
    /// <paramref name="chunkSize"/> bytes (a multiple of <see cref="DirectWrites.Alignment"/>, at most
    /// <see cref="AlignedBuffers.Size"/>); returns the bytes copied.
    /// </summary>
    public static async Task<long> CopyAsync(Stream source, DirectChunkWriter writer, int chunkSize, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(source);
        ArgumentNullException.ThrowIfNull(writer);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(chunkSize);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(chunkSize, AlignedBuffers.Size);
        if (chunkSize % DirectWrites.Alignment != 0)
        {
            throw new ArgumentOutOfRangeException(nameof(chunkSize), $"A chunk must be a multiple of {DirectWrites.Alignment} bytes.");
        }
        byte[][] arrays = [AlignedBuffers.Rent(), AlignedBuffers.Rent()];
        var writing = Task.CompletedTask;
        long total = 0;
        try
        {
            for (var current = 0; ; current ^= 1)
            {
                var chunk = AlignedBuffers.Aligned(arrays[current])[..chunkSize];
                // Filled whole unless the data ends: a short chunk anywhere but at the end would leave the rest of the
                // file unaligned, and so buffered.
                var n = await source.ReadAtLeastAsync(chunk, chunk.Length, throwOnEndOfStream: false, ct).ConfigureAwait(false);
                await writing.ConfigureAwait(false);
                if (n == 0)
                {
                    return total;
                }
                writing = writer.WriteAsync(chunk[..n], total, ct);
                total += n;
            }
        }
        finally
        {
            // A failed read leaves a write in flight: wait it out (its own failure matters less than the read's).
            await writing.ContinueWith(static _ => { }, CancellationToken.None, TaskContinuationOptions.ExecuteSynchronously, TaskScheduler.Default).ConfigureAwait(false);
            AlignedBuffers.Return(arrays[0]);
            AlignedBuffers.Return(arrays[1]);
        }
    }
}
