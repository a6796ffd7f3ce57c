using System.Net;
using System.Net.Sockets;
using System.Text;
using FluentAssertions;

namespace Cloud.Tests.Support;

/// <summary>
/// Raw HTTP to a <see cref="SwiftCluster"/>'s proxy as tempauth users, for what the real clients would never send:
/// paths with dot segments (sent as written, not normalised by <see cref="Uri"/>), forged manifests, broken chunking.
/// </summary>
public sealed class SwiftHttp(SwiftCluster cluster) : IDisposable
{
    /// <summary>Tempauth users of <see cref="Flag"/>: system:root (reseller admin), test:tester (admin of AUTH_test),
    /// test:tester3 (no account rights: only what container ACLs grant) and other:bob (admin of AUTH_other).</summary>
    public const string Flag = "--swift_tempauth_users=system:root:testpass:.admin:.reseller_admin,test:tester:testing:.admin,test:tester3:testing3,other:bob:bobpass:.admin";

    private readonly HttpClient _http = new();

    /// <summary>A token for <c>account:user</c>.</summary>
    public async Task<string> TokenAsync(string user, string key)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, cluster.AuthUrl);
        request.Headers.Add("X-Auth-User", user);
        request.Headers.Add("X-Auth-Key", key);
        using var response = await _http.SendAsync(request);
        response.StatusCode.Should().Be(HttpStatusCode.OK, $"tempauth {user}");
        return response.Headers.GetValues("X-Auth-Token").Single();
    }

    /// <summary>Sends <paramref name="method"/> to <paramref name="pathAndQuery"/> exactly as written (dot segments and escapes kept).</summary>
    public async Task<HttpResponseMessage> SendAsync(string? token, HttpMethod method, string pathAndQuery, string? body = null, params (string Name, string Value)[] headers)
    {
        var uri = new Uri(cluster.ProxyUrl + pathAndQuery, new UriCreationOptions { DangerousDisablePathAndQueryCanonicalization = true });
        using var request = new HttpRequestMessage(method, uri);
        if (body is not null || method == HttpMethod.Put)
        {
            request.Content = new ByteArrayContent(Encoding.UTF8.GetBytes(body ?? ""));
        }
        if (token is not null)
        {
            request.Headers.Add("X-Auth-Token", token);
        }
        foreach (var (name, value) in headers)
        {
            if (!request.Headers.TryAddWithoutValidation(name, value))
            {
                request.Content!.Headers.TryAddWithoutValidation(name, value);
            }
        }
        return await _http.SendAsync(request);
    }

    /// <summary>Sends and returns the status and body, asserting the answer is never a server error.</summary>
    public async Task<(HttpStatusCode Status, string Body)> CallAsync(string? token, HttpMethod method, string pathAndQuery, string? body = null, params (string Name, string Value)[] headers)
    {
        using var response = await SendAsync(token, method, pathAndQuery, body, headers);
        var text = await response.Content.ReadAsStringAsync();
        ((int)response.StatusCode).Should().BeLessThan(500, $"{method} {pathAndQuery} answered {text}\n{cluster.Output}");
        return (response.StatusCode, text);
    }

    /// <summary>A container's object names (empty when the container does not exist).</summary>
    public async Task<IReadOnlyList<string>> ListAsync(string token, string containerPath)
    {
        var (status, body) = await CallAsync(token, HttpMethod.Get, containerPath + "?format=plain");
        return status == HttpStatusCode.NotFound ? [] : body.Split('\n', StringSplitOptions.RemoveEmptyEntries);
    }

    /// <summary>Writes <paramref name="request"/> (head and body, as bytes on the wire) to the proxy and returns what it answers until it closes.</summary>
    public async Task<string> RawAsync(string request)
    {
        var proxy = new Uri(cluster.ProxyUrl);
        using var tcp = new TcpClient();
        await tcp.ConnectAsync(proxy.Host, proxy.Port);
        var stream = tcp.GetStream();
        await stream.WriteAsync(Encoding.ASCII.GetBytes(request));
        using var reader = new StreamReader(stream, Encoding.UTF8);
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        return await reader.ReadToEndAsync(timeout.Token);
    }

    public void Dispose() => _http.Dispose();
}
