using System.Buffers;
using System.Security.Cryptography;
using Cloud.Modules.Kernel.IO;

namespace Cloud.Modules.Swift.Storage.DiskFile;

/// <summary>Streams new content into <c>&lt;device&gt;/tmp/</c>, hashing it on the way, so a large object never sits in memory.</summary>
internal sealed class FsDiskFileWriter(FsDiskFile file) : IDiskFileWriter
{
    // Large enough that a big object goes to disk in few writes; pooled, so a small PUT costs no allocation.
    private const int BufferSize = 256 * 1024;

    private readonly string _tempPath = Path.Combine(file.TempDirectory, Guid.NewGuid().ToString("N"));
    private bool _committed;

    public async Task<(string Etag, long Length)> WriteAsync(Stream body, CancellationToken cancellationToken)
    {
        using var md5 = IncrementalHash.CreateHash(HashAlgorithmName.MD5);
        // A pooled buffer and an unbuffered file: a 4 KiB PUT used to allocate 128 KiB (a copy buffer and the
        // FileStream's own), and the body is written in whole buffers anyway.
        var buffer = ArrayPool<byte>.Shared.Rent(BufferSize);
        try
        {
            long length = 0;
            await using var stream = new FileStream(_tempPath, FileMode.CreateNew, FileAccess.Write, FileShare.None, bufferSize: 0, FileOptions.Asynchronous);
            // A large body's bytes go to the disk while more arrive: without it the three replicas of a 256 MiB PUT
            // sat in the page cache and the final fsyncs wrote all 768 MiB while the client waited.
            var writeback = new EarlyWriteback(stream.SafeFileHandle);
            int filled;
            while ((filled = await FillAsync(body, buffer, cancellationToken).ConfigureAwait(false)) > 0)
            {
                md5.AppendData(buffer, 0, filled);
                await stream.WriteAsync(buffer.AsMemory(0, filled), cancellationToken).ConfigureAwait(false);
                length += filled;
                writeback.Advance(filled);
            }
            await writeback.WhenIdleAsync().ConfigureAwait(false);
            stream.Flush(flushToDisk: true);
            return (Convert.ToHexString(md5.GetHashAndReset()).ToLowerInvariant(), length);
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    // Reads until the buffer is full or the body ends: request bodies arrive in pieces of a few KiB, and one
    // write (and one hash update) per buffer rather than per piece keeps large PUTs to few system calls.
    private static async Task<int> FillAsync(Stream body, byte[] buffer, CancellationToken cancellationToken)
    {
        var filled = 0;
        int read;
        while (filled < buffer.Length && (read = await body.ReadAsync(buffer.AsMemory(filled), cancellationToken).ConfigureAwait(false)) > 0)
        {
            filled += read;
        }
        return filled;
    }

    public void Commit(string timestamp, IReadOnlyDictionary<string, string> metadata)
    {
        DiskFileMetadata.Write(_tempPath, metadata);
        file.Install(_tempPath, timestamp + FsDiskFile.DataExtension);
        _committed = true;
    }

    public ValueTask DisposeAsync()
    {
        if (!_committed)
        {
            File.Delete(_tempPath);
        }
        return ValueTask.CompletedTask;
    }
}
