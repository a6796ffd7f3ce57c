using System.Text.Json;
using Cloud.Modules.Swift.Common;

namespace Cloud.Modules.Swift.Proxy;

/// <summary>
/// Dynamic large objects: a manifest object whose <c>X-Object-Manifest: container/prefix</c> names its segments,
/// resolved at GET time from the container listing (swiftclient uploads segments and manifest in parallel,
/// so the segments may arrive after the manifest). <c>swift upload --segment-size</c> makes these by default.
/// </summary>
public sealed class ProxyDloHandler(SwiftRings rings, SwiftBackend backend)
{
    public const string Header = "X-Object-Manifest";

    /// <summary>The manifest's <c>container/prefix</c>, or null when the response is an ordinary object.</summary>
    public static string? ManifestOf(HttpResponseMessage response) =>
        response.Headers.TryGetValues(Header, out var values) ? values.FirstOrDefault() : null;

    /// <summary>The segments named by <paramref name="manifest"/>, in name order, read page by page.</summary>
    public async Task<List<(string Container, string Object, string Hash, long Bytes)>> SegmentsAsync(string account, string manifest, CancellationToken cancellationToken)
    {
        var decoded = Uri.UnescapeDataString(manifest.TrimStart('/'));
        var slash = decoded.IndexOf('/', StringComparison.Ordinal);
        var (container, prefix) = slash < 0 ? (decoded, "") : (decoded[..slash], decoded[(slash + 1)..]);
        var segments = new List<(string, string, string, long)>();
        var (part, _) = rings.Container.GetNodes(account, container);
        var marker = "";
        while (true)
        {
            var query = $"?format=json&prefix={Uri.EscapeDataString(prefix)}&marker={Uri.EscapeDataString(marker)}";
            using var page = await backend.FirstAsync(rings.Container, part, n => SwiftBackend.PathOf(n, part, account, container) + query, "GET", null, cancellationToken).ConfigureAwait(false);
            if (page is not { IsSuccessStatusCode: true } || page.StatusCode == System.Net.HttpStatusCode.NoContent)
            {
                return segments;
            }
            using var listing = JsonDocument.Parse(await page.Content.ReadAsStringAsync(cancellationToken).ConfigureAwait(false));
            var before = segments.Count;
            foreach (var item in listing.RootElement.EnumerateArray())
            {
                if (item.TryGetProperty("name", out var name))
                {
                    segments.Add((container, name.GetString()!, item.GetProperty("hash").GetString() ?? "", item.GetProperty("bytes").GetInt64()));
                }
            }
            if (segments.Count == before)
            {
                return segments;
            }
            marker = segments[^1].Item2;
        }
    }
}
