namespace Cloud.Modules.Swift.Storage.DiskFile;

/// <summary>New content being written; disposing without <see cref="Commit"/> throws it away.</summary>
public interface IDiskFileWriter : IAsyncDisposable
{
    /// <summary>Copies <paramref name="body"/> to the temporary file and returns its MD5 (lower-case hex) and length.</summary>
    Task<(string Etag, long Length)> WriteAsync(Stream body, CancellationToken cancellationToken);

    /// <summary>
    /// Stores <paramref name="metadata"/> with the content, makes both durable and moves the file into place as
    /// <c>&lt;timestamp&gt;.data</c>; when it returns, the object survives a crash.
    /// </summary>
    void Commit(string timestamp, IReadOnlyDictionary<string, string> metadata);
}
