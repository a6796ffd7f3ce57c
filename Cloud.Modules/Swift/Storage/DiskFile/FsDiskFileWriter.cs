using System.Security.Cryptography;

namespace Cloud.Modules.Swift.Storage.DiskFile;

/// <summary>Streams new content into <c>&lt;device&gt;/tmp/</c>, hashing it on the way, so a large object never sits in memory.</summary>
internal sealed class FsDiskFileWriter(FsDiskFile file) : IDiskFileWriter
{
    private const int BufferSize = 64 * 1024;

    private readonly string _tempPath = Path.Combine(file.TempDirectory, Guid.NewGuid().ToString("N"));
    private bool _committed;

    public async Task<(string Etag, long Length)> WriteAsync(Stream body, CancellationToken cancellationToken)
    {
        using var md5 = IncrementalHash.CreateHash(HashAlgorithmName.MD5);
        var buffer = new byte[BufferSize];
        long length = 0;
        await using var stream = new FileStream(_tempPath, FileMode.CreateNew, FileAccess.Write, FileShare.None, BufferSize, FileOptions.Asynchronous);
        int read;
        while ((read = await body.ReadAsync(buffer, cancellationToken).ConfigureAwait(false)) > 0)
        {
            md5.AppendData(buffer, 0, read);
            await stream.WriteAsync(buffer.AsMemory(0, read), cancellationToken).ConfigureAwait(false);
            length += read;
        }
        await stream.FlushAsync(cancellationToken).ConfigureAwait(false);
        stream.Flush(flushToDisk: true);
        return (Convert.ToHexString(md5.GetHashAndReset()).ToLowerInvariant(), length);
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
