using System.Security.Cryptography;
using Cloud.Modules.Swift.Storage.DiskFile;

namespace Cloud.Tests.Support;

/// <summary>Buffers new content for a <see cref="MemDiskFile"/>; nothing is visible until <see cref="Commit"/>.</summary>
internal sealed class MemDiskFileWriter(MemDiskFile file) : IDiskFileWriter
{
    private byte[] _content = [];

    public async Task<(string Etag, long Length)> WriteAsync(Stream body, CancellationToken cancellationToken)
    {
        using var buffer = new MemoryStream();
        await body.CopyToAsync(buffer, cancellationToken);
        _content = buffer.ToArray();
        return (Convert.ToHexString(MD5.HashData(_content)).ToLowerInvariant(), _content.Length);
    }

    public void Commit(string timestamp, IReadOnlyDictionary<string, string> metadata) =>
        file.Install(new MemDiskFile.Entry(timestamp, new Dictionary<string, string>(metadata), _content));

    public ValueTask DisposeAsync() => ValueTask.CompletedTask;
}
