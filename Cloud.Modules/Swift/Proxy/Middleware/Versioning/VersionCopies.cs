using Cloud.Modules.Swift.Common;
using Microsoft.AspNetCore.Http;

namespace Cloud.Modules.Swift.Proxy.Middleware.Versioning;

/// <summary>
/// Moves object data between a container and its versions (swift's <c>_get_source_object</c> and
/// <c>_put_versioned_obj</c>): the source is read raw from the storage servers (a large object's manifest as stored),
/// streamed into a PUT sent down the pipeline with its content type and metadata.
/// </summary>
public sealed class VersionCopies(SwiftRings rings, SwiftBackend backend, ProxyInfoCache info)
{
    // What a version keeps of its source besides X-Object-Meta-*; never X-Timestamp (the copy is a new write).
    private static readonly HashSet<string> Kept = new(StringComparer.OrdinalIgnoreCase)
    {
        "Content-Type", "Content-Encoding", "Content-Disposition", "X-Object-Manifest", "X-Delete-At",
    };

    /// <summary>The stored object, headers read, its body not yet (null: no storage server answered).</summary>
    public Task<HttpResponseMessage?> OpenAsync(string account, string container, string obj, CancellationToken cancellationToken)
    {
        var ring = rings.Object;
        var part = ring.GetPartition(account, container, obj);
        return backend.FirstAsync(ring, part, n => SwiftBackend.PathOf(n, part, account, container, obj), "GET", null, cancellationToken,
            HttpCompletionOption.ResponseHeadersRead);
    }

    /// <summary>The container's headers, as its first replica answers a HEAD (null: none answered).</summary>
    public Task<HttpResponseMessage?> ContainerAsync(string account, string container, CancellationToken cancellationToken)
    {
        var ring = rings.Container;
        var part = ring.GetPartition(account, container);
        return backend.FirstAsync(ring, part, n => SwiftBackend.PathOf(n, part, account, container), "HEAD", null, cancellationToken);
    }

    /// <summary>
    /// The container's headers as <see cref="ProxyInfoCache"/> keeps them: what every object request reads (is the
    /// container versioned, and where to), as swift's versioning middlewares read its cached container info.
    /// </summary>
    public Task<HttpResponseMessage?> ContainerInfoAsync(string account, string container, CancellationToken cancellationToken) =>
        info.ContainerAsync(account, container, cancellationToken);

    /// <summary>A header of a backend answer, or null.</summary>
    public static string? HeaderOf(HttpResponseMessage? response, string name) =>
        response is not null && response.Headers.TryGetValues(name, out var values) ? values.FirstOrDefault() : null;

    /// <summary>Whether an opened source is there: false for a 404, a <see cref="VersioningFailure"/> for any other failure.</summary>
    public static bool Found(HttpResponseMessage? source)
    {
        if (source is { StatusCode: System.Net.HttpStatusCode.NotFound })
        {
            return false;
        }
        if (source is not { IsSuccessStatusCode: true })
        {
            throw new VersioningFailure(source is null || (int)source.StatusCode >= 500 ? StatusCodes.Status503ServiceUnavailable : StatusCodes.Status412PreconditionFailed);
        }
        return true;
    }

    /// <summary>The source's X-Timestamp in normal form (the version's id); from its Last-Modified when it has none, as swift.</summary>
    public static string TimestampOf(HttpResponseMessage source)
    {
        ArgumentNullException.ThrowIfNull(source);
        return (source.Headers.TryGetValues("X-Timestamp", out var values) ? VersionNames.Normalize(values.First()) : null)
            ?? VersionNames.Normalize((source.Content.Headers.LastModified ?? DateTimeOffset.UtcNow).ToUnixTimeSeconds().ToString(System.Globalization.CultureInfo.InvariantCulture))!;
    }

    /// <summary>Writes <paramref name="source"/> (an open GET) as <paramref name="container"/>/<paramref name="obj"/>.</summary>
    public static async Task<ProxySubResponse> PutAsync(
        SwiftProxyRequest request, Func<SwiftProxyRequest, Task> next, HttpResponseMessage source, string container, string obj,
        IEnumerable<KeyValuePair<string, string>>? extra = null)
    {
        ArgumentNullException.ThrowIfNull(source);
        var headers = source.Headers.Concat(source.Content.Headers)
            .Where(h => Kept.Contains(h.Key) || h.Key.StartsWith("X-Object-Meta-", StringComparison.OrdinalIgnoreCase))
            .Select(h => KeyValuePair.Create(h.Key, string.Join(',', h.Value)))
            .ToList();
        if (source.Headers.ETag is { } etag)
        {
            headers.Add(KeyValuePair.Create("ETag", etag.Tag.Trim('"')));
        }
        headers.AddRange(extra ?? []);
        var body = await source.Content.ReadAsStreamAsync(request.Aborted).ConfigureAwait(false);
        await using (body.ConfigureAwait(false))
        {
            return await ProxySubRequest.RunAsync(request, next, "PUT", container, obj, "", headers, body, source.Content.Headers.ContentLength ?? 0)
                .ConfigureAwait(false);
        }
    }

    /// <summary>A zero-byte delete marker at <paramref name="container"/>/<paramref name="obj"/>.</summary>
    public static Task<ProxySubResponse> PutDeleteMarkerAsync(SwiftProxyRequest request, Func<SwiftProxyRequest, Task> next, string container, string obj) =>
        ProxySubRequest.RunAsync(request, next, "PUT", container, obj, "", [KeyValuePair.Create("Content-Type", VersionNames.DeleteMarkerContentType)]);
}
