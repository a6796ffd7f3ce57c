using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Cloud.Modules.Swift.Common;
using Cloud.Modules.Swift.Proxy.LargeObjects;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.WebUtilities;

namespace Cloud.Modules.Swift.Proxy;

/// <summary>
/// Static large objects (swift's slo middleware, what <c>swift upload</c> uses for stdin and <c>--use-slo</c>): a
/// manifest listing segment objects, stored as an ordinary object marked <c>X-Static-Large-Object: True</c> and joined
/// at read time by <see cref="ProxySegmentReader"/>.
/// </summary>
public sealed class ProxySloHandler(SwiftBackend backend, SwiftProxyAuthorizer authorizer, ProxySegmentReader reader, ProxyContainerPolicy policies)
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
    /// Checks the client's manifest (<see cref="SloManifestInput"/>) against the segments, each read with a HEAD the
    /// caller must be allowed to make, and returns what to store (per segment <c>name</c>, <c>bytes</c>, <c>hash</c>,
    /// <c>content_type</c>, <c>last_modified</c>, and <c>sub_slo</c> or <c>range</c> where they apply, as swift
    /// stores them), the total size and the large object's ETag (MD5 of the segments' ETags); or the parse error text,
    /// or one (path, problem) per bad segment. <paramref name="beat"/> runs once the manifest parses and after each
    /// segment's check (the heartbeat).
    /// </summary>
    public async Task<SloBuild> BuildAsync(SwiftProxyRequest request, Stream clientManifest, Func<Task>? beat, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        using var buffer = new MemoryStream();
        await clientManifest.CopyToAsync(buffer, cancellationToken).ConfigureAwait(false);
        if (SloManifestInput.Parse(buffer.GetBuffer().AsSpan(0, (int)buffer.Length), out var parseError) is not { } entries)
        {
            return new SloBuild(null, 0, "", parseError, []);
        }
        if (entries.Count == 0)
        {
            return new SloBuild(null, 0, "", "Manifest must have at least one segment.\n", []);
        }
        var stored = new JsonArray();
        var segments = new List<ProxySegment>();
        var problems = new List<(string Path, string Problem)>();
        foreach (var entry in entries)
        {
            if (beat is not null)
            {
                await beat().ConfigureAwait(false);
            }
            var quoted = ProxySegment.Quote(entry.Path);
            if (await authorizer.CheckSubrequestAsync(request, "HEAD", entry.Container, listing: false).ConfigureAwait(false) is { } refusal)
            {
                problems.Add((quoted, $"{refusal.Status} {ReasonPhrases.GetReasonPhrase(refusal.Status)}"));
                continue;
            }
            var head = await HeadAsync(request.Account, entry, cancellationToken).ConfigureAwait(false);
            if (head.Status is not StatusCodes.Status200OK)
            {
                problems.Add((quoted, $"{head.Status} {ReasonPhrases.GetReasonPhrase(head.Status)}"));
                continue;
            }
            var (size, etag) = (head.Size, head.Etag);
            if (entry.SizeBytes is { } wantSize && wantSize != size)
            {
                problems.Add((quoted, "Size Mismatch"));
            }
            if (entry.Etag is { } wantEtag && !string.Equals(wantEtag.Trim('"'), etag, StringComparison.OrdinalIgnoreCase))
            {
                problems.Add((quoted, "Etag Mismatch"));
            }
            var segment = new ProxySegment(entry.Container, entry.Object, etag, size);
            if (entry.Range is { } asked)
            {
                // Resolved against the segment's size now; a range of the whole segment is the segment.
                if (!Kernel.Http.ByteRange.TryParse("bytes=" + asked, size, out var range) || range is null)
                {
                    problems.Add((quoted, "Unsatisfiable Range"));
                    continue;
                }
                if (range.Length != size)
                {
                    segment = segment with { Start = range.Start, Bytes = range.Length };
                }
            }
            var row = new JsonObject
            {
                ["name"] = "/" + entry.Path.TrimStart('/'), ["bytes"] = size, ["hash"] = etag,
                ["content_type"] = head.ContentType, ["last_modified"] = head.LastModified,
            };
            if (head.IsSlo)
            {
                row["sub_slo"] = true;
            }
            if (segment.Range is { } storedRange)
            {
                row["range"] = storedRange;
            }
            stored.Add(row);
            segments.Add(segment);
        }
        if (problems.Count > 0)
        {
            return new SloBuild(null, 0, "", null, problems);
        }
        return new SloBuild(Encoding.UTF8.GetBytes(stored.ToJsonString()), segments.Sum(s => s.Bytes), ProxySegment.EtagOf(segments), null, []);
    }

    /// <summary>
    /// <c>GET ?multipart-manifest=get</c> of a manifest: the stored JSON as swift returns it (application/json), or with
    /// <c>&amp;format=raw</c> the manifest as a client would PUT it (<c>path</c>, <c>etag</c>, <c>size_bytes</c>,
    /// <c>range</c>), under the object's own Content-Type; each with its MD5 as ETag.
    /// </summary>
    public async Task ServeManifestAsync(SwiftProxyRequest request, HttpResponseMessage read)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(read);
        var (ring, setup) = await policies.ReadOfAsync(request.Account, request.Container!, request.Aborted).ConfigureAwait(false);
        var part = ring.GetPartition(request.Account, request.Container, request.Object);
        using var manifest = await backend.FirstAsync(ring, part, n => SwiftBackend.PathOf(n, part, request.Account, request.Container, request.Object), "GET", setup, request.Aborted).ConfigureAwait(false);
        if (manifest is not { IsSuccessStatusCode: true })
        {
            await SwiftProxyReply.RelayAsync(request.Context, read).ConfigureAwait(false);
            return;
        }
        read.Dispose();
        var body = await manifest.Content.ReadAsByteArrayAsync(request.Aborted).ConfigureAwait(false);
        var raw = request.Query.TrimStart('?').Split('&').Contains("format=raw", StringComparer.Ordinal);
        if (raw && SloManifestOutput.Raw(body) is { } converted)
        {
            body = converted;
        }
        else
        {
            manifest.Content.Headers.Remove("Content-Type");
            manifest.Content.Headers.TryAddWithoutValidation("Content-Type", "application/json; charset=utf-8");
        }
        manifest.Headers.Remove("ETag");
        manifest.Headers.TryAddWithoutValidation("ETag", Convert.ToHexString(MD5.HashData(body)).ToLowerInvariant());
        var contentType = manifest.Content.Headers.ContentType?.ToString();
        var reply = new HttpResponseMessage(manifest.StatusCode) { Content = new ByteArrayContent(body) };
        foreach (var (name, values) in manifest.Headers)
        {
            reply.Headers.TryAddWithoutValidation(name, values);
        }
        reply.Content.Headers.TryAddWithoutValidation("Content-Type", contentType);
        reply.Content.Headers.LastModified = manifest.Content.Headers.LastModified;
        await SwiftProxyReply.RelayAsync(request.Context, reply).ConfigureAwait(false);
    }

    /// <summary>Answers a GET or HEAD of a manifest with the joined segments; <paramref name="manifest"/> is the stored manifest's GET.</summary>
    public async Task ServeAsync(SwiftProxyRequest request, HttpResponseMessage manifest)
    {
        ArgumentNullException.ThrowIfNull(request);
        if (await ReadManifestAsync(manifest, request.Aborted).ConfigureAwait(false) is not { } segments)
        {
            await SwiftProxyReply.ErrorAsync(request.Context, StatusCodes.Status409Conflict, "Not an SLO manifest").ConfigureAwait(false);
            return;
        }
        // X-Manifest-Etag: the stored manifest's own MD5, which swift shows beside the large object's ETag.
        var extra = new Dictionary<string, string> { ["X-Manifest-Etag"] = manifest.Headers.ETag?.Tag.Trim('"') ?? "" };
        await reader.ServeAsync(request, manifest, segments, Marker, "True", staticLargeObject: true, extra).ConfigureAwait(false);
    }

    /// <summary>The segments of a stored manifest, in order; null when it is not a list of <c>name</c>/<c>hash</c>/<c>bytes</c> rows.</summary>
    public static async Task<List<ProxySegment>?> ReadManifestAsync(HttpResponseMessage manifest, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(manifest);
        var json = await manifest.Content.ReadAsByteArrayAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            using var document = JsonDocument.Parse(json);
            var list = new List<ProxySegment>();
            foreach (var row in document.RootElement.EnumerateArray())
            {
                var name = row.GetProperty("name").GetString()!.TrimStart('/');
                var slash = name.IndexOf('/', StringComparison.Ordinal);
                var bytes = row.GetProperty("bytes").GetInt64();
                if (slash <= 0 || bytes < 0)
                {
                    return null;
                }
                var segment = new ProxySegment(name[..slash], name[(slash + 1)..], row.TryGetProperty("hash", out var hash) ? hash.GetString() ?? "" : "", bytes,
                    SubSlo: row.TryGetProperty("sub_slo", out var sub) && sub.ValueKind == JsonValueKind.True);
                if (row.TryGetProperty("range", out var stored) && stored.GetString() is { Length: > 0 } range)
                {
                    if (!Kernel.Http.ByteRange.TryParse("bytes=" + range, bytes, out var resolved) || resolved is null)
                    {
                        return null;
                    }
                    segment = segment with { Start = resolved.Start, Bytes = resolved.Length };
                }
                list.Add(segment);
            }
            return list;
        }
        catch (Exception e) when (e is JsonException or InvalidOperationException or KeyNotFoundException or FormatException)
        {
            return null;
        }
    }

    /// <summary>
    /// Body of a <c>multipart-manifest=delete</c> answer, as swift's bulk delete writes it in the format the client
    /// accepts: the segments it could not delete (for instance one the caller may not write) are listed under Errors
    /// and make the status 400 (401 when the caller has no valid token).
    /// </summary>
    public static byte[] DeleteReport(string contentType, int deleted, int notFound, IReadOnlyList<(string Path, int Status)> errors)
    {
        ArgumentNullException.ThrowIfNull(errors);
        var status = errors.Count == 0 ? StatusCodes.Status200OK
            : errors.Any(e => e.Status == StatusCodes.Status401Unauthorized) ? StatusCodes.Status401Unauthorized : StatusCodes.Status400BadRequest;
        return SloReport.Format(contentType, new Dictionary<string, object>
        {
            ["Number Deleted"] = deleted,
            ["Number Not Found"] = notFound,
            ["Response Status"] = $"{status} {ReasonPhrases.GetReasonPhrase(status)}",
            ["Response Body"] = "",
        }, errors.Select(e => (e.Path, $"{e.Status} {ReasonPhrases.GetReasonPhrase(e.Status)}")).ToList(), "delete");
    }

    /// <summary>
    /// A segment as a client's HEAD would show it: for a segment that is itself a static large object, the whole of it
    /// (its segments' sizes and their ETags' MD5), which is what reading it will give.
    /// </summary>
    private async Task<SegmentHead> HeadAsync(string account, SloManifestInput.Entry entry, CancellationToken cancellationToken)
    {
        var (ring, setup) = await policies.ReadOfAsync(account, entry.Container, cancellationToken).ConfigureAwait(false);
        var part = ring.GetPartition(account, entry.Container, entry.Object);
        string PathOf(Common.Ring.RingDevice n) => SwiftBackend.PathOf(n, part, account, entry.Container, entry.Object);
        using var head = await backend.FirstAsync(ring, part, PathOf, "HEAD", setup, cancellationToken).ConfigureAwait(false);
        if (head is not { IsSuccessStatusCode: true })
        {
            return new SegmentHead(head is null ? StatusCodes.Status503ServiceUnavailable : (int)head.StatusCode, 0, "", "", "", false);
        }
        var contentType = head.Content.Headers.ContentType?.ToString() ?? "application/octet-stream";
        // swift's last_modified: the segment's Last-Modified (whole seconds) in ISO form.
        var lastModified = (head.Content.Headers.LastModified ?? DateTimeOffset.UnixEpoch).UtcDateTime.ToString("yyyy-MM-ddTHH:mm:ss.ffffff", CultureInfo.InvariantCulture);
        if (!IsManifest(head))
        {
            return new SegmentHead(StatusCodes.Status200OK, head.Content.Headers.ContentLength ?? 0, head.Headers.ETag?.Tag.Trim('"') ?? "", contentType, lastModified, false);
        }
        using var manifest = await backend.FirstAsync(ring, part, PathOf, "GET", null, cancellationToken).ConfigureAwait(false);
        return manifest is { IsSuccessStatusCode: true } && await ReadManifestAsync(manifest, cancellationToken).ConfigureAwait(false) is { } nested
            ? new SegmentHead(StatusCodes.Status200OK, nested.Sum(s => s.Bytes), ProxySegment.EtagOf(nested), contentType, lastModified, true)
            : new SegmentHead(StatusCodes.Status409Conflict, 0, "", "", "", false);
    }

    private sealed record SegmentHead(int Status, long Size, string Etag, string ContentType, string LastModified, bool IsSlo);
}

/// <summary>What <see cref="ProxySloHandler.BuildAsync"/> made of a client's manifest.</summary>
/// <param name="Stored">The manifest to store, or null when refused.</param>
/// <param name="Size">The large object's size.</param>
/// <param name="Etag">The large object's ETag (unquoted).</param>
/// <param name="ParseError">swift's text for a manifest that does not parse.</param>
/// <param name="Problems">One (quoted path, problem) per bad segment.</param>
public sealed record SloBuild(byte[]? Stored, long Size, string Etag, string? ParseError, IReadOnlyList<(string Path, string Problem)> Problems);
