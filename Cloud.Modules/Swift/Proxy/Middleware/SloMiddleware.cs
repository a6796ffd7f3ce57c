using Cloud.Modules.Swift.Common;
using Cloud.Modules.Swift.Proxy.Controllers;
using Cloud.Modules.Swift.Proxy.LargeObjects;
using Cloud.Modules.Swift.Proxy.Pipeline;
using Microsoft.AspNetCore.Http;

namespace Cloud.Modules.Swift.Proxy.Middleware;

/// <summary>
/// swift's <c>slo</c> for what comes before the object controller: the reserved X-Static-Large-Object header, and
/// <c>DELETE ?multipart-manifest=delete</c> (the manifest and each segment it names, each as the caller may). Storing
/// a manifest (<c>?multipart-manifest=put</c>) and joining segments on a read stay with the object controller, which
/// hands them to <see cref="ProxySloHandler"/>; swift's <c>dlo</c> has nothing to do before it (and no /info entry).
/// </summary>
public sealed class SloMiddleware(SwiftBackend backend, SwiftProxyAuthorizer authorizer, ObjectController objects, ProxyContainerPolicy policies)
    : ISwiftProxyMiddleware<SwiftProxyRequest>
{
    public const string FilterName = "slo";

    /// <summary>What swift 2.30's slo advertises in /info (its defaults).</summary>
    public static object Capabilities => new Dictionary<string, object>
    {
        ["max_manifest_segments"] = SloManifestInput.MaxSegments,
        ["max_manifest_size"] = 8 * 1024 * 1024,
        ["yield_frequency"] = (int)SloHeartbeat.YieldFrequency.TotalSeconds,
        ["min_segment_size"] = 1,
        ["allow_async_delete"] = false,
    };

    public async Task InvokeAsync(SwiftProxyRequest request, Func<SwiftProxyRequest, Task> next)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(next);
        if (request.Object is null)
        {
            await next(request).ConfigureAwait(false);
            return;
        }
        if (request.Method is "PUT" or "POST" && request.Context.Request.Headers.ContainsKey(ProxySloHandler.Marker)
            && !(request.Method == "PUT" && ProxySloHandler.Asks(request.Query, "put"))
            && ContainerSync.ContainerSyncGrant.Of(request.Context)?.Allows(request.Account, request.Container) != true)
        {
            // A synced manifest (swift's slo_override) arrives as stored, marker and all, maybe before its segments.
            // Set only by the proxy on a checked manifest: one forged onto an object would name any segments.
            await SwiftProxyReply.ErrorAsync(request.Context, StatusCodes.Status400BadRequest,
                "X-Static-Large-Object is a reserved header. To create a static large object add query param multipart-manifest=put.").ConfigureAwait(false);
            return;
        }
        if (request.Method == "DELETE" && ProxySloHandler.Asks(request.Query, "delete"))
        {
            await DeleteManifestAsync(request).ConfigureAwait(false);
            return;
        }
        await next(request).ConfigureAwait(false);
    }

    private async Task DeleteManifestAsync(SwiftProxyRequest request)
    {
        var (ring, setup) = await policies.ReadOfAsync(request.Account, request.Container!, request.Aborted).ConfigureAwait(false);
        var part = ring.GetPartition(request.Account, request.Container, request.Object);
        using var manifest = await backend.FirstAsync(ring, part, n => SwiftBackend.PathOf(n, part, request.Account, request.Container, request.Object), "GET", setup, request.Aborted).ConfigureAwait(false);
        if (manifest is not { IsSuccessStatusCode: true } || !ProxySloHandler.IsManifest(manifest))
        {
            await SwiftProxyReply.RelayAsync(request.Context, manifest is null ? null : new HttpResponseMessage(manifest.StatusCode)).ConfigureAwait(false);
            return;
        }
        if (await ProxySloHandler.ReadManifestAsync(manifest, request.Aborted).ConfigureAwait(false) is not { } segments)
        {
            await SwiftProxyReply.ErrorAsync(request.Context, StatusCodes.Status400BadRequest, "Not an SLO manifest").ConfigureAwait(false);
            return;
        }
        var (deleted, missing) = (0, 0);
        var errors = new List<(string Path, int Status)>();
        foreach (var segment in await WithNestedAsync(request, segments, 0).ConfigureAwait(false))
        {
            // Each segment is deleted as if the caller had asked: a manifest must not reach what its author cannot.
            if (await authorizer.CheckSubrequestAsync(request, "DELETE", segment.Container, listing: false).ConfigureAwait(false) is { } refusal)
            {
                errors.Add((ProxySegment.Quote(segment.Path), refusal.Status));
                continue;
            }
            using var answer = await objects.DeleteAsync(request.Account, segment.Container, segment.Object, request.Aborted).ConfigureAwait(false);
            _ = answer is { IsSuccessStatusCode: true } ? deleted++ : missing++;
        }
        using (var whole = await objects.DeleteAsync(request.Account, request.Container!, request.Object!, request.Aborted).ConfigureAwait(false))
        {
            _ = whole is { IsSuccessStatusCode: true } ? deleted++ : missing++;
        }
        // Swift 2.30 answers text/plain when the client names no Accept; cloudd has answered JSON then since issue 12
        // (Regressions/Bug0012_02 holds it to that), so only an explicit Accept picks the format.
        var contentType = request.Context.Request.Headers.Accept.Count == 0 ? "application/json" : SloReport.ContentTypeFor(request.Context.Request);
        var body = ProxySloHandler.DeleteReport(contentType, deleted, missing, errors);
        var response = request.Context.Response;
        response.StatusCode = StatusCodes.Status200OK;
        response.ContentType = contentType;
        response.ContentLength = body.Length;
        await response.Body.WriteAsync(body, request.Aborted).ConfigureAwait(false);
    }

    /// <summary>
    /// What deleting a manifest deletes, as swift's slo does: each segment, and for a segment marked <c>sub_slo</c> its
    /// own segments first, then it (to swift's nesting limit).
    /// </summary>
    private async Task<List<ProxySegment>> WithNestedAsync(SwiftProxyRequest request, IReadOnlyList<ProxySegment> segments, int depth)
    {
        var all = new List<ProxySegment>();
        foreach (var segment in segments)
        {
            if (segment.SubSlo && depth < 10 && await NestedAsync(request, segment).ConfigureAwait(false) is { } nested)
            {
                all.AddRange(await WithNestedAsync(request, nested, depth + 1).ConfigureAwait(false));
            }
            all.Add(segment);
        }
        return all;
    }

    private async Task<List<ProxySegment>?> NestedAsync(SwiftProxyRequest request, ProxySegment segment)
    {
        var (ring, setup) = await policies.ReadOfAsync(request.Account, segment.Container, request.Aborted).ConfigureAwait(false);
        var part = ring.GetPartition(request.Account, segment.Container, segment.Object);
        using var manifest = await backend.FirstAsync(ring, part, n => SwiftBackend.PathOf(n, part, request.Account, segment.Container, segment.Object), "GET", setup, request.Aborted).ConfigureAwait(false);
        return manifest is { IsSuccessStatusCode: true } && ProxySloHandler.IsManifest(manifest)
            ? await ProxySloHandler.ReadManifestAsync(manifest, request.Aborted).ConfigureAwait(false)
            : null;
    }
}
