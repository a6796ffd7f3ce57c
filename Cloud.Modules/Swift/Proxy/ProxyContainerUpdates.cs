using System.Globalization;
using Cloud.Modules.Swift.Common;
using Cloud.Modules.Swift.Common.Ring;

namespace Cloud.Modules.Swift.Proxy;

/// <summary>
/// Who updates the container listings after an object write: each object replica its share of the container replicas
/// (swift's spread), and the proxy itself the share of any object replica whose write failed, as cloudd writes no
/// handoff that could carry it.
/// </summary>
public sealed class ProxyContainerUpdates(SwiftRings rings, SwiftBackend backend)
{
    /// <summary>The header setter for each object replica, in the order of <paramref name="objectReplicas"/>.</summary>
    public IReadOnlyList<(Action<HttpRequestMessage> Apply, int Partition, IReadOnlyList<RingDevice> Nodes)> Spread(string account, string container, int objectReplicas) =>
        ContainerUpdateHeaders.Spread(rings.Container, account, container, objectReplicas);

    /// <summary>
    /// Sends the row change to the container replicas of every share whose object write did not succeed.
    /// <paramref name="row"/> is the listing's size, type and ETag for a PUT, null for a DELETE.
    /// </summary>
    public async Task CoverFailedAsync(
        IReadOnlyList<(Action<HttpRequestMessage> Apply, int Partition, IReadOnlyList<RingDevice> Nodes)> shares, IReadOnlyList<HttpResponseMessage?> answers,
        string account, string container, string obj, string timestamp, (long Size, string ContentType, string Etag)? row, CancellationToken cancellationToken)
    {
        var uncovered = shares.Where((share, i) => answers[i] is not { IsSuccessStatusCode: true } && share.Nodes.Count > 0).ToList();
        if (uncovered.Count == 0)
        {
            return;
        }
        var method = row is null ? "DELETE" : "PUT";
        var sent = await Task.WhenAll(uncovered.SelectMany(share => share.Nodes.Select(node =>
            backend.SendAsync(node, method, SwiftBackend.PathOf(node, share.Partition, account, container, obj), m =>
            {
                m.Headers.TryAddWithoutValidation("X-Timestamp", timestamp);
                if (row is { } r)
                {
                    m.Headers.TryAddWithoutValidation("X-Size", r.Size.ToString(CultureInfo.InvariantCulture));
                    m.Headers.TryAddWithoutValidation("X-Content-Type", r.ContentType);
                    m.Headers.TryAddWithoutValidation("X-Etag", r.Etag);
                }
            }, cancellationToken)))).ConfigureAwait(false);
        foreach (var answer in sent)
        {
            answer?.Dispose();
        }
    }
}
