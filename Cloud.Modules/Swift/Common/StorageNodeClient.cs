using Cloud.Modules.Swift.Common.Ring;
using Microsoft.Extensions.Logging;

namespace Cloud.Modules.Swift.Common;

/// <summary>
/// The one HTTP client for the storage servers' API, used by the proxy (through <c>SwiftBackend</c>) and by the storage
/// side (container updates, REPLICATE, SYNC, the reaper). An unreachable or slow node is an answer of null, never an
/// exception: the caller counts it as a missing answer, or queues or retries the work on its next pass.
/// </summary>
/// <param name="nodeTimeout">How long one connection and one request to a node may take.</param>
/// <param name="log">Where failed requests are logged.</param>
public sealed partial class StorageNodeClient(TimeSpan nodeTimeout, ILogger<StorageNodeClient> log) : IDisposable
{
    private readonly SocketsHttpHandler _handler = new()
    {
        ConnectTimeout = nodeTimeout,
        AllowAutoRedirect = false,
        UseCookies = false,
        // Header values travel as Latin-1 bytes, so a client's UTF-8 metadata reaches the storage servers and comes
        // back unchanged (SwiftHeaderText); the default refuses any non-ASCII value.
        RequestHeaderEncodingSelector = (_, _) => SwiftHeaderText.Encoding,
        ResponseHeaderEncodingSelector = (_, _) => SwiftHeaderText.Encoding,
    };

    private HttpClient? _http;

    private HttpClient? _streaming;

    // One pool of keep-alive connections per node, shared by both clients.
    private HttpClient Http => LazyInitializer.EnsureInitialized(ref _http, () => new HttpClient(_handler, disposeHandler: false) { Timeout = nodeTimeout });

    // For bodies streamed as a client sends them: a whole request may take longer than a node timeout, so the caller
    // times each step (each chunk written, the answer) with its cancellation token instead.
    private HttpClient Streaming => LazyInitializer.EnsureInitialized(ref _streaming, () => new HttpClient(_handler, disposeHandler: false) { Timeout = Timeout.InfiniteTimeSpan });

    /// <summary>How long one connection and one request to a node may take.</summary>
    public TimeSpan NodeTimeout => nodeTimeout;

    /// <summary>A client whose node timeout is <paramref name="seconds"/> (at least one), as the node timeout flags give it.</summary>
    public static StorageNodeClient WithTimeoutSeconds(int seconds, ILogger<StorageNodeClient> log) =>
        new(TimeSpan.FromSeconds(Math.Max(1, seconds)), log);

    /// <summary>Sends to a ring device's replication address (the storage side's way to reach another storage server).</summary>
    public Task<HttpResponseMessage?> SendAsync(RingDevice node, string method, string pathAndQuery, Action<HttpRequestMessage>? setup, CancellationToken cancellationToken) =>
        SendAsync(node.ReplicationIp, node.ReplicationPort, method, pathAndQuery, setup, cancellationToken);

    /// <summary>
    /// Sends one request to <paramref name="host"/>:<paramref name="port"/>; null when it cannot be reached or times out.
    /// The caller's own cancellation is not a missing answer: it is thrown.
    /// </summary>
    public Task<HttpResponseMessage?> SendAsync(
        string host, int port, string method, string pathAndQuery, Action<HttpRequestMessage>? setup, CancellationToken cancellationToken,
        HttpCompletionOption completion = HttpCompletionOption.ResponseContentRead) =>
        SendWithAsync(Http, host, port, method, pathAndQuery, setup, cancellationToken, completion);

    /// <summary>
    /// As <see cref="SendAsync(string, int, string, string, Action{HttpRequestMessage}?, CancellationToken, HttpCompletionOption)"/>,
    /// without the node timeout on the whole request: for a body the caller streams as it arrives, timing each step itself.
    /// </summary>
    public Task<HttpResponseMessage?> SendStreamingAsync(string host, int port, string method, string pathAndQuery, Action<HttpRequestMessage>? setup, CancellationToken cancellationToken) =>
        SendWithAsync(Streaming, host, port, method, pathAndQuery, setup, cancellationToken, HttpCompletionOption.ResponseContentRead);

    private async Task<HttpResponseMessage?> SendWithAsync(
        HttpClient http, string host, int port, string method, string pathAndQuery, Action<HttpRequestMessage>? setup, CancellationToken cancellationToken,
        HttpCompletionOption completion)
    {
        using var request = new HttpRequestMessage(new HttpMethod(method), SwiftPath.NodeUri(host, port, pathAndQuery));
        setup?.Invoke(request);
        try
        {
            return await http.SendAsync(request, completion, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception e) when (e is HttpRequestException or IOException || (e is TaskCanceledException && !cancellationToken.IsCancellationRequested))
        {
            LogNodeFailed(method, host, port, pathAndQuery, e.Message);
            return null;
        }
    }

    /// <summary>The same request to every node's replication address at once; true when each answered with a success.</summary>
    public async Task<bool> AllSucceedAsync(IEnumerable<RingDevice> nodes, string method, Func<RingDevice, string> pathAndQuery, Action<HttpRequestMessage>? setup, CancellationToken cancellationToken)
    {
        var answers = await Task.WhenAll(nodes.Select(async node =>
        {
            using var answer = await SendAsync(node, method, pathAndQuery(node), setup, cancellationToken).ConfigureAwait(false);
            return answer is { IsSuccessStatusCode: true };
        })).ConfigureAwait(false);
        return answers.All(ok => ok);
    }

    public void Dispose()
    {
        _http?.Dispose();
        _streaming?.Dispose();
        _handler.Dispose();
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "{Method} {Host}:{Port}{Path} failed: {Error}")]
    private partial void LogNodeFailed(string method, string host, int port, string path, string error);
}
