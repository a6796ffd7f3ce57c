using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Cloud.Modules.Swift.Common;
using Microsoft.AspNetCore.Http;

namespace Cloud.Modules.Swift.Proxy;

/// <summary>
/// Static large objects (swift's slo middleware, what <c>swift upload</c> uses for stdin and <c>--use-slo</c>): a
/// manifest listing segment objects, stored as an ordinary object marked <c>X-Static-Large-Object: True</c> and joined
/// at read time. Ranges over a large object are not supported: a GET returns the whole object.
/// </summary>
public sealed class ProxySloHandler(SwiftRings rings, SwiftBackend backend)
{
    /// <summary>The header marking a stored manifest.</summary>
    public const string Marker = "X-Static-Large-Object";

    /// <summary>Whether the query asks for <c>multipart-manifest=&lt;value&gt;</c>.</summary>
    public static bool Asks(string query, string value) =>
        query.TrimStart('?').Split('&').Contains("multipart-manifest=" + value, StringComparer.Ordinal);

    /// <summary>Whether a stored object is a manifest.</summary>
    public static bool IsManifest(HttpResponseMessage response) =>
        response.Headers.TryGetValues(Marker, out var values) && values.Any(v => string.Equals(v, "true", StringComparison.OrdinalIgnoreCase));

    /// <summary>
    /// Checks the client's manifest (<c>[{"path": "/c/o", "etag": ..., "size_bytes": ...}]</c>) against the segments
    /// and returns what to store (<c>name</c>, <c>hash</c>, <c>bytes</c> per segment), the total size and the large
    /// object's ETag (MD5 of the segments' ETags); or an error message for a 400.
    /// </summary>
    public async Task<(byte[] Stored, long Size, string Etag)?> BuildAsync(string account, Stream clientManifest, Action<string> refuse, CancellationToken cancellationToken)
    {
        JsonArray? segments;
        try
        {
            segments = await JsonSerializer.DeserializeAsync<JsonArray>(clientManifest, cancellationToken: cancellationToken).ConfigureAwait(false);
        }
        catch (JsonException)
        {
            segments = null;
        }
        if (segments is null || segments.Count == 0)
        {
            refuse("Manifest must be a non-empty JSON list");
            return null;
        }
        var stored = new JsonArray();
        var etags = new StringBuilder();
        long total = 0;
        foreach (var segment in segments)
        {
            var path = segment?["path"]?.GetValue<string>()?.TrimStart('/') ?? "";
            var slash = path.IndexOf('/', StringComparison.Ordinal);
            if (slash <= 0 || slash == path.Length - 1)
            {
                refuse($"Invalid segment path '{path}'");
                return null;
            }
            using var head = await ReadSegmentAsync(account, path[..slash], path[(slash + 1)..], "HEAD", cancellationToken).ConfigureAwait(false);
            if (head is not { IsSuccessStatusCode: true })
            {
                refuse($"Segment /{path}: 404 Not Found");
                return null;
            }
            var etag = head.Headers.ETag?.Tag.Trim('"') ?? "";
            var size = head.Content.Headers.ContentLength ?? 0;
            var wantEtag = segment!["etag"]?.GetValue<string>();
            var wantSize = segment["size_bytes"]?.GetValue<long>();
            if ((wantEtag is not null && !string.Equals(wantEtag, etag, StringComparison.OrdinalIgnoreCase)) || (wantSize is not null && wantSize != size))
            {
                refuse($"Segment /{path}: Etag or size mismatch");
                return null;
            }
            stored.Add(new JsonObject { ["name"] = "/" + path, ["hash"] = etag, ["bytes"] = size });
            etags.Append(etag);
            total += size;
        }
        var sloEtag = Convert.ToHexString(MD5.HashData(Encoding.ASCII.GetBytes(etags.ToString()))).ToLowerInvariant();
        return (Encoding.UTF8.GetBytes(stored.ToJsonString()), total, sloEtag);
    }

    /// <summary>Answers a GET or HEAD of a manifest with the joined segments; <paramref name="manifest"/> is the stored manifest's GET.</summary>
    public async Task ServeAsync(SwiftProxyRequest request, HttpResponseMessage manifest) =>
        await ServeSegmentsAsync(request, manifest, await ReadManifestAsync(manifest, request.Aborted).ConfigureAwait(false), Marker, "True").ConfigureAwait(false);

    /// <summary>
    /// Answers with the segments joined, under the manifest's metadata; <paramref name="markerHeader"/> tells the
    /// client what kind of large object it is (static: X-Static-Large-Object, dynamic: X-Object-Manifest).
    /// </summary>
    public async Task ServeSegmentsAsync(SwiftProxyRequest request, HttpResponseMessage manifest, IReadOnlyList<(string Container, string Object, string Hash, long Bytes)> segments, string markerHeader, string markerValue)
    {
        var context = request.Context;
        var response = context.Response;
        response.StatusCode = StatusCodes.Status200OK;
        foreach (var (name, values) in manifest.Headers)
        {
            if (name.StartsWith("X-Object-Meta-", StringComparison.OrdinalIgnoreCase) || name is "X-Timestamp" or "Last-Modified")
            {
                response.Headers[name] = values.ToArray();
            }
        }
        if (manifest.Content.Headers.LastModified is { } modified)
        {
            response.Headers.LastModified = modified.ToString("R", System.Globalization.CultureInfo.InvariantCulture);
        }
        response.Headers[markerHeader] = markerValue;
        response.ContentType = manifest.Content.Headers.ContentType?.ToString() ?? "application/octet-stream";
        var etags = string.Concat(segments.Select(s => s.Hash));
        // Quoted, as swift does for large objects: it is not the MD5 of the body, so clients must not check it.
        response.Headers.ETag = $"\"{Convert.ToHexString(MD5.HashData(Encoding.ASCII.GetBytes(etags))).ToLowerInvariant()}\"";
        response.ContentLength = segments.Sum(s => s.Bytes);
        if (HttpMethods.IsHead(context.Request.Method))
        {
            return;
        }
        foreach (var (container, obj, _, _) in segments)
        {
            using var part = await ReadSegmentAsync(request.Account, container, obj, "GET", request.Aborted).ConfigureAwait(false);
            if (part is not { IsSuccessStatusCode: true })
            {
                // The status is already sent; cutting the body short is how swift reports a lost segment too.
                context.Abort();
                return;
            }
            var body = await part.Content.ReadAsStreamAsync(request.Aborted).ConfigureAwait(false);
            await using (body.ConfigureAwait(false))
            {
                await body.CopyToAsync(response.Body, request.Aborted).ConfigureAwait(false);
            }
        }
    }

    /// <summary>The segments of a stored manifest, in order.</summary>
    public static async Task<List<(string Container, string Object, string Hash, long Bytes)>> ReadManifestAsync(HttpResponseMessage manifest, CancellationToken cancellationToken)
    {
        var json = await manifest.Content.ReadAsStringAsync(cancellationToken).ConfigureAwait(false);
        var list = new List<(string, string, string, long)>();
        foreach (var node in JsonNode.Parse(json)?.AsArray() ?? [])
        {
            var name = node?["name"]?.GetValue<string>()?.TrimStart('/') ?? "";
            var slash = name.IndexOf('/', StringComparison.Ordinal);
            if (slash > 0)
            {
                list.Add((name[..slash], name[(slash + 1)..], node!["hash"]?.GetValue<string>() ?? "", node["bytes"]?.GetValue<long>() ?? 0));
            }
        }
        return list;
    }

    /// <summary>Body of a <c>multipart-manifest=delete</c> answer, as swift's bulk delete writes it.</summary>
    public static byte[] DeleteReport(int deleted, int notFound) =>
        JsonSerializer.SerializeToUtf8Bytes(new Dictionary<string, object>
        {
            ["Number Deleted"] = deleted,
            ["Number Not Found"] = notFound,
            ["Response Status"] = "200 OK",
            ["Response Body"] = "",
            ["Errors"] = Array.Empty<object>(),
        });

    private Task<HttpResponseMessage?> ReadSegmentAsync(string account, string container, string obj, string method, CancellationToken cancellationToken)
    {
        var ring = rings.Object;
        var part = ring.GetPartition(account, container, obj);
        return backend.FirstAsync(ring, part, n => SwiftBackend.PathOf(n, part, account, container, obj), method, null, cancellationToken,
            method == "GET" ? HttpCompletionOption.ResponseHeadersRead : HttpCompletionOption.ResponseContentRead);
    }
}
