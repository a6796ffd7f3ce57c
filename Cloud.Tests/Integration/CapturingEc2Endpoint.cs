using System.Collections.Concurrent;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Text;
using Cloud.Modules.Identity.Ec2;

namespace Cloud.Tests.Integration;

/// <summary>
/// A loopback HTTP/1.1 endpoint for real EC2 clients: records every request exactly as it came off the socket and
/// answers with what the handler returns (by default a DescribeRegions response).
/// </summary>
internal sealed class CapturingEc2Endpoint : IAsyncDisposable
{
    private readonly TcpListener _listener = new(IPAddress.Loopback, 0);
    private readonly Func<CapturedRequest, (int Status, string Body)> _handler;
    private readonly ConcurrentQueue<CapturedRequest> _requests = new();
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _acceptLoop;

    public CapturingEc2Endpoint(Func<CapturedRequest, (int Status, string Body)>? handler = null)
    {
        _handler = handler ?? (_ => (200, DescribeRegionsResponse(Url)));
        _listener.Start();
        _acceptLoop = AcceptAsync(_stop.Token);
    }

    public int Port => ((IPEndPoint)_listener.LocalEndpoint).Port;

    public string Url => $"http://127.0.0.1:{Port}/services/Cloud";

    public IReadOnlyList<CapturedRequest> Requests => _requests.ToArray();

    public static string DescribeRegionsResponse(string endpoint) =>
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<DescribeRegionsResponse xmlns=\"http://ec2.amazonaws.com/doc/2016-11-15/\">"
        + "<requestId>req-capture</requestId><regionInfo><item><regionName>nova</regionName>"
        + $"<regionEndpoint>{endpoint}</regionEndpoint></item></regionInfo></DescribeRegionsResponse>";

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        _listener.Stop();
        try
        {
            await _acceptLoop;
        }
        catch (Exception e) when (e is OperationCanceledException or SocketException or ObjectDisposedException)
        {
            // Stopping the listener is how the loop ends.
        }
        _stop.Dispose();
    }

    private async Task AcceptAsync(CancellationToken stop)
    {
        while (!stop.IsCancellationRequested)
        {
            var client = await _listener.AcceptTcpClientAsync(stop);
            _ = ServeAsync(client, stop);
        }
    }

    private async Task ServeAsync(TcpClient client, CancellationToken stop)
    {
        using var _ = client;
        var stream = client.GetStream();
        var buffer = new List<byte>();
        var chunk = new byte[8192];
        try
        {
            while (true)
            {
                int headerEnd;
                while ((headerEnd = IndexOfBlankLine(buffer)) < 0)
                {
                    var read = await stream.ReadAsync(chunk, stop);
                    if (read == 0)
                    {
                        return;
                    }
                    buffer.AddRange(chunk.AsSpan(0, read));
                }
                var head = Encoding.Latin1.GetString(buffer.GetRange(0, headerEnd).ToArray()).Split("\r\n");
                buffer.RemoveRange(0, headerEnd + 4);
                var requestLine = head[0].Split(' ');
                var headers = head.Skip(1).Select(static line =>
                {
                    var colon = line.IndexOf(':');
                    return KeyValuePair.Create(line[..colon], line[(colon + 1)..].Trim());
                }).ToList();
                var length = int.Parse(headers.FirstOrDefault(h => h.Key.Equals("Content-Length", StringComparison.OrdinalIgnoreCase)).Value ?? "0",
                    CultureInfo.InvariantCulture);
                while (buffer.Count < length)
                {
                    var read = await stream.ReadAsync(chunk, stop);
                    if (read == 0)
                    {
                        return;
                    }
                    buffer.AddRange(chunk.AsSpan(0, read));
                }
                var request = new CapturedRequest(requestLine[0], requestLine[1], headers, buffer.GetRange(0, length).ToArray());
                buffer.RemoveRange(0, length);
                _requests.Enqueue(request);

                var (status, body) = _handler(request);
                var payload = Encoding.UTF8.GetBytes(body);
                var response = $"HTTP/1.1 {status} {(status == 200 ? "OK" : "Error")}\r\nContent-Type: {Ec2ErrorResponse.ContentType}\r\n"
                    + $"Content-Length: {payload.Length}\r\nDate: {DateTimeOffset.UtcNow:r}\r\n\r\n";
                await stream.WriteAsync(Encoding.ASCII.GetBytes(response), stop);
                await stream.WriteAsync(payload, stop);
            }
        }
        catch (Exception e) when (e is IOException or OperationCanceledException or SocketException)
        {
            // The client hung up or the endpoint is stopping.
        }
    }

    private static int IndexOfBlankLine(List<byte> buffer)
    {
        for (var i = 0; i + 3 < buffer.Count; i++)
        {
            if (buffer[i] == '\r' && buffer[i + 1] == '\n' && buffer[i + 2] == '\r' && buffer[i + 3] == '\n')
            {
                return i;
            }
        }
        return -1;
    }
}
