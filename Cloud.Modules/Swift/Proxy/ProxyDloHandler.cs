using System.Text.Json;
using Cloud.Modules.Swift.Common;

namespace Cloud.Modules.Swift.Proxy;

/// <summary>
/// Dynamic large objects: a manifest object whose <c>X-Object-Manifest: container/prefix</c> names its segments,
/// resolved at GET time from the container listing (swiftclient uploads segments and manifest in parallel,
/// so the segments may arrive after the manifest). <c>swift upload --segment-size</c> makes these by default.
/// The listing is read as the caller: one who may not list that container gets its 401 or 403, as from swift's
/// sub-request.
/// </summary>
public sealed class ProxyDloHandler(SwiftRings rings, SwiftBackend backend, SwiftProxyAuthorizer authorizer)
{
    public const string Header = "X-Object-Manifest";

    /// <summary>The manifest's <c>container/prefix</c>, or null when the response is an ordinary object.</summary>
    public static string? ManifestOf(HttpResponseMessage response) =>
        response.Headers.TryGetValues(Header, out var values) ? values.FirstOrDefault() : null;

    /// <summary>The segments named by <paramref name="manifest"/>, in name order, read page by page; or why the caller may not list them.</summary>
    public async Task<(List<ProxySegment> Segments, (int Status, string Message)? Refusal)> SegmentsAsync(SwiftProxyRequest request, string manifest)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(manifest);
        // Raw UTF-8 arrives as Latin-1 chars (SwiftHeaderText); the container and prefix are its UTF-8.
        var decoded = Uri.UnescapeDataString(SwiftHeaderText.Decode(manifest).TrimStart('/'));
        var slash = decoded.IndexOf('/', StringComparison.Ordinal);
        var (container, prefix) = slash < 0 ? (decoded, "") : (decoded[..slash], decoded[(slash + 1)..]);
        var segments = new List<ProxySegment>();
        if (await authorizer.CheckSubrequestAsync(request, "GET", container, listing: true).ConfigureAwait(false) is { } refusal)
        {
            return (segments, refusal);
        }
        var (part, _) = rings.Container.GetNodes(request.Account, container);
        var marker = "";
        while (true)
        {
            var query = $"?format=json&prefix={Uri.EscapeDataString(prefix)}&marker={Uri.EscapeDataString(marker)}";
            using var page = await backend.FirstAsync(rings.Container, part, n => SwiftBackend.PathOf(n, part, request.Account, container) + query, "GET", null, request.Aborted).ConfigureAwait(false);
            if (page is not { IsSuccessStatusCode: true } || page.StatusCode == System.Net.HttpStatusCode.NoContent)
            {
                return (segments, null);
            }
            using var listing = JsonDocument.Parse(await page.Content.ReadAsStringAsync(request.Aborted).ConfigureAwait(false));
            var before = segments.Count;
            foreach (var item in listing.RootElement.EnumerateArray())
            {
                if (item.TryGetProperty("name", out var name))
                {
                    segments.Add(new ProxySegment(container, name.GetString()!, item.GetProperty("hash").GetString() ?? "", item.GetProperty("bytes").GetInt64()));
                }
            }
            if (segments.Count == before)
            {
                return (segments, null);
            }
            marker = segments[^1].Object;
        }
    }
}
