using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Cloud.Modules.Swift.Common;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.WebUtilities;

namespace Cloud.Modules.Swift.Proxy;

/// <summary>
/// Static large objects (swift's slo middleware, what <c>swift upload</c> uses for stdin and <c>--use-slo</c>): a
/// manifest listing segment objects, stored as an ordinary object marked <c>X-Static-Large-Object: True</c> and joined
/// at read time by <see cref="ProxySegmentReader"/>.
/// </summary>
public sealed class ProxySloHandler(SwiftRings rings, SwiftBackend backend, SwiftProxyAuthorizer authorizer, ProxySegmentReader reader)
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
    /// caller must be allowed to make, and returns what to store (<c>name</c>, <c>hash</c>, <c>bytes</c> per segment),
    /// the total size and the large object's ETag (MD5 of the segments' ETags); or swift's 400 text in
    /// <paramref name="refuse"/>: the parse errors, or <c>Errors:</c> and one <c>path, problem</c> line per bad segment.
    /// </summary>
    public async Task<(byte[] Stored, long Size, string Etag)?> BuildAsync(SwiftProxyRequest request, Stream clientManifest, Action<string> refuse, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(refuse);
        using var buffer = new MemoryStream();
        await clientManifest.CopyToAsync(buffer, cancellationToken).ConfigureAwait(false);
        if (SloManifestInput.Parse(buffer.GetBuffer().AsSpan(0, (int)buffer.Length), out var parseError) is not { } entries)
        {
            refuse(parseError);
            return null;
        }
        if (entries.Count == 0)
        {
            refuse("Manifest must have at least one segment.\n");
            return null;
        }
        var stored = new JsonArray();
        var segments = new List<ProxySegment>();
        var problems = new StringBuilder();
        foreach (var entry in entries)
        {
            var quoted = ProxySegment.Quote(entry.Path);
            if (await authorizer.CheckSubrequestAsync(request, "HEAD", entry.Container, listing: false).ConfigureAwait(false) is { } refusal)
            {
                problems.Append(CultureInfo.InvariantCulture, $"{quoted}, {refusal.Status} {ReasonPhrases.GetReasonPhrase(refusal.Status)}\n");
                continue;
            }
            var (status, size, etag) = await HeadAsync(request.Account, entry, cancellationToken).ConfigureAwait(false);
            if (status is not StatusCodes.Status200OK)
            {
                problems.Append(CultureInfo.InvariantCulture, $"{quoted}, {status} {ReasonPhrases.GetReasonPhrase(status)}\n");
                continue;
            }
            if (entry.SizeBytes is { } wantSize && wantSize != size)
            {
                problems.Append(CultureInfo.InvariantCulture, $"{quoted}, Size Mismatch\n");
            }
            if (entry.Etag is { } wantEtag && !string.Equals(wantEtag.Trim('"'), etag, StringComparison.OrdinalIgnoreCase))
            {
                problems.Append(CultureInfo.InvariantCulture, $"{quoted}, Etag Mismatch\n");
            }
            var segment = new ProxySegment(entry.Container, entry.Object, etag, size);
            if (entry.Range is { } asked)
            {
                // Resolved against the segment's size now; a range of the whole segment is the segment.
                if (!Kernel.Http.ByteRange.TryParse("bytes=" + asked, size, out var range) || range is null)
                {
                    problems.Append(CultureInfo.InvariantCulture, $"{quoted}, Unsatisfiable Range\n");
                    continue;
                }
                if (range.Length != size)
                {
                    segment = segment with { Start = range.Start, Bytes = range.Length };
                }
            }
            var row = new JsonObject { ["name"] = "/" + entry.Path.TrimStart('/'), ["hash"] = etag, ["bytes"] = size };
            if (segment.Range is { } storedRange)
            {
                row["range"] = storedRange;
            }
            stored.Add(row);
            segments.Add(segment);
        }
        if (problems.Length > 0)
        {
            refuse("Errors:\n" + problems);
            return null;
        }
        return (Encoding.UTF8.GetBytes(stored.ToJsonString()), segments.Sum(s => s.Bytes), ProxySegment.EtagOf(segments));
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
        await reader.ServeAsync(request, manifest, segments, Marker, "True").ConfigureAwait(false);
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
                var segment = new ProxySegment(name[..slash], name[(slash + 1)..], row.TryGetProperty("hash", out var hash) ? hash.GetString() ?? "" : "", bytes);
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
    /// Body of a <c>multipart-manifest=delete</c> answer, as swift's bulk delete writes it: the segments it could not
    /// delete (for instance one the caller may not write) are listed under Errors and make the status 400 (401 when
    /// the caller has no valid token).
    /// </summary>
    public static byte[] DeleteReport(int deleted, int notFound, IReadOnlyList<(string Path, int Status)> errors)
    {
        ArgumentNullException.ThrowIfNull(errors);
        var status = errors.Count == 0 ? StatusCodes.Status200OK
            : errors.Any(e => e.Status == StatusCodes.Status401Unauthorized) ? StatusCodes.Status401Unauthorized : StatusCodes.Status400BadRequest;
        return JsonSerializer.SerializeToUtf8Bytes(new Dictionary<string, object>
        {
            ["Number Deleted"] = deleted,
            ["Number Not Found"] = notFound,
            ["Response Status"] = $"{status} {ReasonPhrases.GetReasonPhrase(status)}",
            ["Response Body"] = "",
            ["Errors"] = errors.Select(e => new[] { e.Path, $"{e.Status} {ReasonPhrases.GetReasonPhrase(e.Status)}" }).ToArray(),
        });
    }

    /// <summary>
    /// A segment's status, size and ETag as a client's HEAD would show them: for a segment that is itself a static large
    /// object, the whole of it (its segments' sizes and their ETags' MD5), which is what reading it will give.
    /// </summary>
    private async Task<(int Status, long Size, string Etag)> HeadAsync(string account, SloManifestInput.Entry entry, CancellationToken cancellationToken)
    {
        var ring = rings.Object;
        var part = ring.GetPartition(account, entry.Container, entry.Object);
        string PathOf(Common.Ring.RingDevice n) => SwiftBackend.PathOf(n, part, account, entry.Container, entry.Object);
        using var head = await backend.FirstAsync(ring, part, PathOf, "HEAD", null, cancellationToken).ConfigureAwait(false);
        if (head is not { IsSuccessStatusCode: true })
        {
            return (head is null ? StatusCodes.Status503ServiceUnavailable : (int)head.StatusCode, 0, "");
        }
        if (!IsManifest(head))
        {
            return (StatusCodes.Status200OK, head.Content.Headers.ContentLength ?? 0, head.Headers.ETag?.Tag.Trim('"') ?? "");
        }
        using var manifest = await backend.FirstAsync(ring, part, PathOf, "GET", null, cancellationToken).ConfigureAwait(false);
        return manifest is { IsSuccessStatusCode: true } && await ReadManifestAsync(manifest, cancellationToken).ConfigureAwait(false) is { } nested
            ? (StatusCodes.Status200OK, nested.Sum(s => s.Bytes), ProxySegment.EtagOf(nested))
            : (StatusCodes.Status409Conflict, 0, "");
    }
}
