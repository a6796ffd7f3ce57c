using Cloud.Modules.Swift.Common;
using Cloud.Modules.Swift.Common.Ring;
using Microsoft.Extensions.Logging;

namespace Cloud.Modules.Swift.Storage.Replication;

/// <summary>
/// Requests from one storage server to another (container updates, REPLICATE, SYNC). An unreachable or slow node is
/// an answer of null, never an exception: the caller queues or retries the work on the next pass.
/// </summary>
public sealed partial class StorageNodeClient(SwiftConsistencyFlags flags, ILogger<StorageNodeClient> log) : IDisposable
{
    private readonly HttpClient _http = new(new SocketsHttpHandler
    {
        ConnectTimeout = TimeSpan.FromSeconds(Math.Max(1, flags.NodeTimeout)),
        AllowAutoRedirect = false,
        UseCookies = false,
    })
    {
        Timeout = TimeSpan.FromSeconds(Math.Max(1, flags.NodeTimeout)),
    };

    /// <summary>Sends to a ring device's replication address.</summary>
    public Task<HttpResponseMessage?> SendAsync(RingDevice node, string method, string pathAndQuery, Action<HttpRequestMessage>? setup, CancellationToken cancellationToken) =>
        SendAsync(node.ReplicationIp, node.ReplicationPort, method, pathAndQuery, setup, cancellationToken);

    /// <summary>Sends one request to <paramref name="host"/>:<paramref name="port"/>; null when it cannot be reached or times out.</summary>
    public async Task<HttpResponseMessage?> SendAsync(string host, int port, string method, string pathAndQuery, Action<HttpRequestMessage>? setup, CancellationToken cancellationToken)
    {
        using var request = new HttpRequestMessage(new HttpMethod(method), SwiftPath.NodeUri(host, port, pathAndQuery));
        setup?.Invoke(request);
        try
        {
            return await _http.SendAsync(request, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception e) when (e is HttpRequestException or IOException || (e is TaskCanceledException && !cancellationToken.IsCancellationRequested))
        {
            LogNodeFailed(method, host, port, pathAndQuery, e.Message);
            return null;
        }
    }

    /// <summary>The same request to every node at once; true when each answered with a success.</summary>
    public async Task<bool> AllSucceedAsync(IEnumerable<RingDevice> nodes, string method, Func<RingDevice, string> pathAndQuery, Action<HttpRequestMessage>? setup, CancellationToken cancellationToken)
    {
        var answers = await Task.WhenAll(nodes.Select(async node =>
        {
            using var answer = await SendAsync(node, method, pathAndQuery(node), setup, cancellationToken).ConfigureAwait(false);
            return answer is { IsSuccessStatusCode: true };
        })).ConfigureAwait(false);
        return answers.All(ok => ok);
    }

    public void Dispose() => _http.Dispose();

    [LoggerMessage(Level = LogLevel.Warning, Message = "{Method} {Host}:{Port}{Path} failed: {Error}")]
    private partial void LogNodeFailed(string method, string host, int port, string path, string error);
}
