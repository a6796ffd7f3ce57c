using Microsoft.AspNetCore.Http;

namespace Cloud.Modules.Swift.Proxy;

/// <summary>
/// A server-side copy (swift's copy middleware): <c>COPY</c> with <c>Destination: container/object</c>, or <c>PUT</c>
/// with <c>X-Copy-From: container/object</c>. The new object gets the source's bytes, content type and
/// X-Object-Meta-* (all dropped with <c>X-Fresh-Metadata: true</c>), overridden by what the request itself sets.
/// </summary>
/// <param name="Data">The source's content, read as the replicas take it.</param>
/// <param name="ContentType">The source's Content-Type.</param>
/// <param name="Metadata">The source's metadata headers to carry over.</param>
/// <param name="IsManifest">Whether <paramref name="Data"/> is a static large object's manifest (a copy with
/// <c>?multipart-manifest=get</c>) to check and store as a manifest again.</param>
public sealed record ProxyCopySource(Stream Data, string ContentType, IReadOnlyList<KeyValuePair<string, string>> Metadata, bool IsManifest = false)
{
    /// <summary>The source's Content-Length, when it gave one (container quotas count it before the copy).</summary>
    public long? Length { get; init; }

    /// <summary>Header a PUT names its source with.</summary>
    public const string CopyFromHeader = "X-Copy-From";

    /// <summary>Header a COPY names its destination with.</summary>
    public const string DestinationHeader = "Destination";

    /// <summary>Whether this request is a copy.</summary>
    public static bool IsCopy(SwiftProxyRequest request) =>
        request.Method == "COPY" || (request.Method == "PUT" && request.Context.Request.Headers.ContainsKey(CopyFromHeader));

    /// <summary>
    /// Splits a <c>[/]container/object</c> header value (percent-encoded, as swiftclient sends it); null when it does
    /// not name both.
    /// </summary>
    public static (string Container, string Object)? ParsePath(string value)
    {
        // Raw UTF-8 arrives as Latin-1 chars (SwiftHeaderText); the name is its UTF-8.
        var trimmed = Common.SwiftHeaderText.Decode(value).Trim().TrimStart('/');
        var slash = trimmed.IndexOf('/', StringComparison.Ordinal);
        if (slash <= 0 || slash == trimmed.Length - 1)
        {
            return null;
        }
        return (Uri.UnescapeDataString(trimmed[..slash]), Uri.UnescapeDataString(trimmed[(slash + 1)..]));
    }

    /// <summary>The source's content type and the metadata the copy inherits from a source's answer.</summary>
    public static ProxyCopySource From(HttpResponseMessage source, Stream data, HttpRequest request)
    {
        ArgumentNullException.ThrowIfNull(source);
        ArgumentNullException.ThrowIfNull(request);
        var fresh = string.Equals(request.Headers["X-Fresh-Metadata"].ToString(), "true", StringComparison.OrdinalIgnoreCase);
        var inherited = fresh
            ? []
            : source.Headers.Concat(source.Content.Headers)
                .Where(h => h.Key.StartsWith("X-Object-Meta-", StringComparison.OrdinalIgnoreCase))
                .Where(h => !request.Headers.ContainsKey(h.Key))
                .Select(h => KeyValuePair.Create(h.Key, string.Join(',', h.Value)))
                .ToList();
        return new ProxyCopySource(data, source.Content.Headers.ContentType?.ToString() ?? "application/octet-stream", inherited)
        {
            Length = source.Content.Headers.ContentLength,
        };
    }
}
