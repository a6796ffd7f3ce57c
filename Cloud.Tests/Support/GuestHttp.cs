using System.Net;
using System.Net.Sockets;
using System.Text;

namespace Cloud.Tests.Support;

/// <summary>
/// HTTP from a chosen loopback source address (all of 127/8 is loopback), so one test process can be several guests
/// of the metadata service, which knows a guest by its source address only.
/// </summary>
public sealed class GuestHttp(string source) : IDisposable
{
    private readonly HttpClient _http = new(new SocketsHttpHandler
    {
        ConnectCallback = async (context, cancellationToken) =>
        {
            var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
            try
            {
                socket.Bind(new IPEndPoint(IPAddress.Parse(source), 0));
                await socket.ConnectAsync(context.DnsEndPoint, cancellationToken);
                return new NetworkStream(socket, ownsSocket: true);
            }
            catch
            {
                socket.Dispose();
                throw;
            }
        },
    });

    public string Source => source;

    public async Task<(int Status, string Body, string? ContentType)> SendAsync(HttpMethod method, string url, IReadOnlyDictionary<string, string>? headers = null)
    {
        using var request = new HttpRequestMessage(method, url);
        foreach (var (name, value) in headers ?? new Dictionary<string, string>())
        {
            request.Headers.Add(name, value);
        }
        using var response = await _http.SendAsync(request);
        return ((int)response.StatusCode, await response.Content.ReadAsStringAsync(), response.Content.Headers.ContentType?.ToString());
    }

    public Task<(int Status, string Body, string? ContentType)> GetAsync(string url) => SendAsync(HttpMethod.Get, url);

    /// <summary>The status of a request sent byte for byte as given (no client-side path normalisation), or 0 if the server closed without answering.</summary>
    public async Task<int> RawStatusAsync(string baseUrl, string requestTarget)
    {
        var uri = new Uri(baseUrl);
        using var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        socket.Bind(new IPEndPoint(IPAddress.Parse(source), 0));
        await socket.ConnectAsync(uri.Host, uri.Port);
        await using var stream = new NetworkStream(socket, ownsSocket: false);
        await stream.WriteAsync(Encoding.Latin1.GetBytes($"GET {requestTarget} HTTP/1.1\r\nHost: {uri.Authority}\r\nConnection: close\r\n\r\n"));
        using var reader = new StreamReader(stream, Encoding.Latin1);
        var statusLine = await reader.ReadLineAsync();
        return statusLine is { } line && line.Split(' ') is [_, var code, ..] && int.TryParse(code, out var status) ? status : 0;
    }

    public void Dispose() => _http.Dispose();
}
