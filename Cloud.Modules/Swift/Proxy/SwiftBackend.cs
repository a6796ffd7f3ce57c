using System.Globalization;
using Cloud.Modules.Swift.Common;
using Cloud.Modules.Swift.Common.Ring;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Cloud.Modules.Swift.Proxy;

/// <summary>
/// The proxy's side of the storage servers' HTTP API: requests to <c>/{device}/{partition}/{account}[/{container}[/{object}]]</c>
/// on one node, on every primary at once, or on the first node (primaries, then handoffs) that has the answer.
/// A node that cannot be reached or times out counts as a missing answer, never as an error of the request.
/// The HTTP itself is <see cref="StorageNodeClient"/>'s, the one client the storage side uses too.
/// </summary>
public sealed class SwiftBackend(IOptions<SwiftProxyFlags> flags, ILogger<StorageNodeClient> log) : IDisposable
{
    private readonly StorageNodeClient _nodes = StorageNodeClient.WithTimeoutSeconds(flags.Value.SwiftNodeTimeout, log);

    /// <summary>A new Swift timestamp (seconds with five decimals) for one client write, shared by all its replicas.</summary>
    public static string NewTimestamp() =>
        ((DateTimeOffset.UtcNow - DateTimeOffset.UnixEpoch).Ticks / (decimal)TimeSpan.TicksPerSecond).ToString("0000000000.00000", CultureInfo.InvariantCulture);

    /// <summary>The backend path of a name on <paramref name="device"/>, each segment percent-encoded (an object's slashes kept).</summary>
    public static string PathOf(RingDevice device, int partition, string account, string? container = null, string? obj = null) =>
        SwiftPath.Of(device, partition, account, container, obj);

    /// <summary>Sends one request to the node's public address; null when the node is down, times out or the client went away.</summary>
    public async Task<HttpResponseMessage?> SendAsync(
        RingDevice node, string method, string pathAndQuery, Action<HttpRequestMessage>? setup, CancellationToken cancellationToken,
        HttpCompletionOption completion = HttpCompletionOption.ResponseContentRead)
    {
        try
        {
            return await _nodes.SendAsync(node.Ip, node.Port, method, pathAndQuery, setup, cancellationToken, completion).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            // The client went away: no answer to give it, and the handler finishes as for a missing one.
            return null;
        }
    }

    /// <summary>How long the proxy waits for a node at each step (swift's node_timeout).</summary>
    public TimeSpan NodeTimeout => _nodes.NodeTimeout;

    /// <summary>
    /// As <see cref="SendAsync"/> for a body streamed as the client sends it: no timeout on the whole request, the
    /// caller's token times each step; null when the node is down, fails, or the token was cancelled.
    /// </summary>
    public async Task<HttpResponseMessage?> SendStreamingAsync(RingDevice node, string method, string pathAndQuery, Action<HttpRequestMessage> setup, CancellationToken cancellationToken)
    {
        try
        {
            return await _nodes.SendStreamingAsync(node.Ip, node.Port, method, pathAndQuery, setup, cancellationToken).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            return null;
        }
    }

    /// <summary>The same request on every node at once (a write); one answer per node, null where it failed.</summary>
    public Task<HttpResponseMessage?[]> ToAllAsync(
        IReadOnlyList<RingDevice> nodes, Func<RingDevice, string> pathAndQuery, string method, Action<HttpRequestMessage>? setup, CancellationToken cancellationToken) =>
        Task.WhenAll(nodes.Select(node => SendAsync(node, method, pathAndQuery(node), setup, cancellationToken)));

    /// <summary>
    /// A read: the primaries in turn, then the handoffs, until one answers with something other than 404 or a server
    /// error. Returns that answer, else the last 404, else null (no node answered).
    /// </summary>
    public async Task<HttpResponseMessage?> FirstAsync(
        Ring ring, int partition, Func<RingDevice, string> pathAndQuery, string method, Action<HttpRequestMessage>? setup,
        CancellationToken cancellationToken, HttpCompletionOption completion = HttpCompletionOption.ResponseContentRead)
    {
        HttpResponseMessage? notFound = null;
        var primaries = ring.GetPartitionNodes(partition);
        // Handoffs only hold data after failures; trying a couple is enough, as swift's request_node_count is 2 * replicas.
        foreach (var node in primaries.Concat(ring.GetMoreNodes(partition).Take(primaries.Count)))
        {
            var response = await SendAsync(node, method, pathAndQuery(node), setup, cancellationToken, completion).ConfigureAwait(false);
            if (response is null)
            {
                continue;
            }
            var status = (int)response.StatusCode;
            if (status != 404 && status < 500)
            {
                notFound?.Dispose();
                return response;
            }
            if (status == 404)
            {
                notFound?.Dispose();
                notFound = response;
            }
            else
            {
                response.Dispose();
            }
        }
        return notFound;
    }

    public void Dispose() => _nodes.Dispose();
}
