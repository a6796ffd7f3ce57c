using System.Buffers;
using Cloud.Modules.Kernel.Crypto;
using Cloud.Modules.Kernel.IO;
using Microsoft.Win32.SafeHandles;

namespace Cloud.Modules.Swift.Storage.DiskFile;

/// <summary>
/// Streams new content into <c>&lt;device&gt;/tmp/</c>, hashing it on the way, so a large object never sits in memory.
/// A small body is one buffered write. A body larger than the first buffer goes on in 1 MiB aligned chunks written
/// direct (<see cref="DirectWrites"/>: no copy into the page cache), the next chunk read and hashed while the previous
/// one is written; the unaligned tail is written buffered. The file is fsynced at <see cref="Commit"/>, once its
/// metadata is set, so one fsync covers the content and the xattr (swift's order: metadata, fsync, rename, dir fsync).
/// </summary>
internal sealed class FsDiskFileWriter(FsDiskFile file) : IDiskFileWriter
{
    // Holds a small object whole; pooled, so a small PUT costs no allocation. A multiple of DirectWrites.Alignment,
    // so the direct chunks after it start aligned.
    private const int FirstChunk = 256 * 1024;

    private string? _tempPath;
    private bool _committed;
    // Open from WriteAsync to Commit or DisposeAsync: Commit fsyncs it after setting the metadata. A bare handle
    // (TempFiles) rather than a FileStream: the writes are positional, and a FileStream's open adds an flock and seeks.
    private SafeFileHandle? _handle;

    public async Task<(string Etag, long Length)> WriteAsync(Stream body, CancellationToken cancellationToken)
    {
        // Hashed with the other writers' bodies where the processor allows (Md5Stream): the replicas of one PUT run together.
        using var md5 = new Md5Stream();
        (_handle, _tempPath) = TempFiles.Create(file.TempDirectory);
        var handle = _handle;
        // What is written buffered goes to the disk while more arrives: without it the three replicas of a 256 MiB PUT
        // sat in the page cache and the final fsyncs wrote all 768 MiB while the client waited.
        var writeback = new EarlyWriteback(handle);
        var first = ArrayPool<byte>.Shared.Rent(FirstChunk);
        long length;
        try
        {
            length = await FillAsync(body, first.AsMemory(0, FirstChunk), cancellationToken).ConfigureAwait(false);
            await md5.AppendAsync(first.AsMemory(0, (int)length)).ConfigureAwait(false);
            // Written on this thread: RandomAccess.WriteAsync on Linux only queues the same blocking pwrite to another
            // pool thread, and for a small object that hop cost more than the write into the page cache.
            RandomAccess.Write(handle, first.AsSpan(0, (int)length), 0);
            writeback.Advance((int)length);
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(first);
        }
        if (length == FirstChunk)
        {
            length += await WriteRestAsync(body, handle, md5, writeback, length, cancellationToken).ConfigureAwait(false);
        }
        await writeback.WhenIdleAsync().ConfigureAwait(false);
        return (md5.Finish(), length);
    }

    // The rest of a large body from offset start: two aligned buffers, one filled and hashed while the other is written.
    private async Task<long> WriteRestAsync(Stream body, SafeFileHandle handle, Md5Stream md5, EarlyWriteback writeback, long start, CancellationToken cancellationToken)
    {
        var writer = new DirectChunkWriter(handle, writeback);
        byte[][] arrays = [AlignedBuffers.Rent(), AlignedBuffers.Rent()];
        var writing = Task.CompletedTask;
        // Each buffer's hash may still run while the other buffer fills (concurrent writers' hashes then share lanes).
        Task[] hashing = [Task.CompletedTask, Task.CompletedTask];
        var offset = start;
        try
        {
            for (var current = 0; ; current ^= 1)
            {
                await hashing[current].ConfigureAwait(false);
                var chunk = AlignedBuffers.Aligned(arrays[current]);
                var filled = await FillAsync(body, chunk, cancellationToken).ConfigureAwait(false);
                hashing[current] = md5.AppendAsync(chunk[..filled]);
                await writing.ConfigureAwait(false);
                if (filled == 0)
                {
                    await Task.WhenAll(hashing).ConfigureAwait(false);
                    return offset - start;
                }
                // Direct while the chunks are whole; the unaligned tail goes buffered.
                writing = writer.WriteAsync(chunk[..filled], offset, cancellationToken);
                offset += filled;
            }
        }
        finally
        {
            // A failed read leaves a write (and hashes) in flight: wait them out before the buffers go back and the file is closed.
            await Task.WhenAll(hashing.Append(writing)).ContinueWith(static _ => { }, CancellationToken.None, TaskContinuationOptions.ExecuteSynchronously, TaskScheduler.Default).ConfigureAwait(false);
            AlignedBuffers.Return(arrays[0]);
            AlignedBuffers.Return(arrays[1]);
        }
    }

    // Reads until the buffer is full or the body ends: request bodies arrive in pieces of a few KiB, and one
    // write (and one hash update) per buffer rather than per piece keeps large PUTs to few system calls.
    private static async Task<int> FillAsync(Stream body, Memory<byte> buffer, CancellationToken cancellationToken)
    {
        var filled = 0;
        int read;
        while (filled < buffer.Length && (read = await body.ReadAsync(buffer[filled..], cancellationToken).ConfigureAwait(false)) > 0)
        {
            filled += read;
        }
        return filled;
    }

    public void Commit(string timestamp, IReadOnlyDictionary<string, string> metadata)
    {
        var handle = _handle ?? throw new InvalidOperationException("Commit before WriteAsync.");
        // The xattr before the fsync: an fsync covers the inode's metadata as it stands, and the directory fsync in
        // Install does not promise to carry a later change to the file's own inode.
        var temp = _tempPath!;
        DiskFileMetadata.Write(temp, metadata);
        RandomAccess.FlushToDisk(handle);
        handle.Dispose();
        _handle = null;
        file.Install(temp, timestamp + FsDiskFile.DataExtension);
        _committed = true;
    }

    public ValueTask DisposeAsync()
    {
        _handle?.Dispose();
        if (!_committed && _tempPath is not null)
        {
            File.Delete(_tempPath);
        }
        return ValueTask.CompletedTask;
    }
}
