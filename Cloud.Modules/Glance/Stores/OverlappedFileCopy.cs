using System.Buffers;

namespace Cloud.Modules.Glance.Stores;

/// <summary>
/// Copies a stream into a file with two buffers: the next chunk is read (off the socket, through the hashes) while the
/// previous one is written (the kernel's copy into the page cache), instead of the one after the other on one thread.
/// At most one write is in flight, so the file's bytes land in order. When a read fails, the write in flight is
/// waited for before the failure goes on, so the caller never closes the file under a write.
/// </summary>
public static class OverlappedFileCopy
{
    /// <summary>Copies all of <paramref name="source"/> to <paramref name="file"/> in chunks of up to <paramref name="chunkSize"/>; returns the bytes copied.</summary>
    public static async Task<long> CopyAsync(Stream source, FileStream file, int chunkSize, Action<int> written, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(source);
        ArgumentNullException.ThrowIfNull(file);
        ArgumentNullException.ThrowIfNull(written);
        byte[][] buffers = [ArrayPool<byte>.Shared.Rent(chunkSize), ArrayPool<byte>.Shared.Rent(chunkSize)];
        var writing = Task.CompletedTask;
        long total = 0;
        try
        {
            for (var current = 0; ; current ^= 1)
            {
                var n = await source.ReadAsync(buffers[current].AsMemory(0, chunkSize), ct).ConfigureAwait(false);
                await writing.ConfigureAwait(false);
                if (n == 0)
                {
                    return total;
                }
                total += n;
                writing = WriteAsync(file, buffers[current].AsMemory(0, n), written, ct);
            }
        }
        finally
        {
            // A failed read leaves a write in flight: wait it out (its own failure matters less than the read's).
            await writing.ContinueWith(static _ => { }, CancellationToken.None, TaskContinuationOptions.ExecuteSynchronously, TaskScheduler.Default).ConfigureAwait(false);
            ArrayPool<byte>.Shared.Return(buffers[0]);
            ArrayPool<byte>.Shared.Return(buffers[1]);
        }
    }

    private static async Task WriteAsync(FileStream file, ReadOnlyMemory<byte> chunk, Action<int> written, CancellationToken ct)
    {
        await file.WriteAsync(chunk, ct).ConfigureAwait(false);
        written(chunk.Length);
    }
}
