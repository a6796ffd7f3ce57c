using System.Net;
using System.Net.Sockets;
using System.Security.Cryptography;
using System.Text;
using Cloud.Modules.Swift.Common;
using Cloud.Tests.Support;
using FluentAssertions;
using NUnit.Framework;

namespace Cloud.Tests.Integration;

/// <summary>
/// A large PUT is streamed to its three replicas as it arrives (issue 19): storage processes are SIGKILLed while the
/// client is half-way through the body. With one replica lost the other two still make a quorum: 201, and the object
/// reads back whole. With two lost the write cannot reach a quorum: 503, and no replica keeps any of it (the proxy
/// abandons the last one too, as swift's proxy does), so nothing half-written or unacknowledged is visible.
/// </summary>
[Category("Integration")]
public sealed class SwiftStreamedPutTests
{
    private const string Account = "AUTH_system";
    private const string Container = "streamed";
    private const int Half = 8 << 20;

    [TestCase(1, HttpStatusCode.Created)]
    [TestCase(2, HttpStatusCode.ServiceUnavailable)]
    public async Task Replicas_killed_mid_body_leave_a_quorum_write_whole_or_none_at_all(int killed, HttpStatusCode expected)
    {
        await using var cluster = await SwiftCluster.StartZonesAsync(3);
        using var swift = new SwiftHttp(cluster);
        var token = await swift.TokenAsync("system:root", "testpass");
        using var proxy = new HttpClient { BaseAddress = new Uri(cluster.ProxyUrl), Timeout = TimeSpan.FromSeconds(60) };
        proxy.DefaultRequestHeaders.Add("X-Auth-Token", token);
        using (var created = await proxy.PutAsync($"/v1/{Account}/{Container}", new ByteArrayContent([])))
        {
            created.IsSuccessStatusCode.Should().BeTrue(cluster.Output);
        }
        var body = new byte[2 * Half + 12345];
        new Random(19).NextBytes(body);
        var content = new PausingContent(body, Half);

        var put = proxy.PutAsync($"/v1/{Account}/{Container}/big", content);
        await content.Paused.WaitAsync(TimeSpan.FromSeconds(30));
        for (var i = 0; i < killed; i++)
        {
            await cluster.Nodes[i].KillAsync();
        }
        content.Resume();
        HttpStatusCode status;
        try
        {
            using var answer = await put;
            status = answer.StatusCode;
        }
        catch (HttpRequestException) when (expected != HttpStatusCode.Created)
        {
            // The proxy may answer 503 and close while the rest of the body is still on its way.
            status = HttpStatusCode.ServiceUnavailable;
        }
        status.Should().Be(expected, cluster.Output);

        for (var i = 0; i < killed; i++)
        {
            await cluster.Nodes[i].StartAsync();
        }
        var served = await ReplicaMd5sAsync(cluster, "big");
        served.Should().NotContain(md5 => md5 != Md5(body), "a replica serves only the whole object");
        using var read = await proxy.GetAsync($"/v1/{Account}/{Container}/big");
        if (expected == HttpStatusCode.Created)
        {
            served.Should().HaveCountGreaterThanOrEqualTo(2, "the 201 came from a quorum of durable replicas");
            read.StatusCode.Should().Be(HttpStatusCode.OK);
            Md5(await read.Content.ReadAsByteArrayAsync()).Should().Be(Md5(body));
        }
        else
        {
            served.Should().BeEmpty("a write below quorum is abandoned on every replica");
            read.StatusCode.Should().Be(HttpStatusCode.NotFound);
        }
    }

    [Test]
    public async Task A_body_arriving_in_odd_sized_pieces_reaches_every_replica_whole()
    {
        await using var cluster = await SwiftCluster.StartZonesAsync(3);
        var token = await CreateContainerAsync(cluster);
        var body = new byte[3 * (1 << 20) + 12345];
        new Random(19).NextBytes(body);

        var status = await RawPutAsync(cluster, token, "odd", body, body.Length, [1, 7, 4093, 65537, 100003, 333], endEarly: false);

        status.Should().StartWith("HTTP/1.1 201", cluster.Output);
        (await ReplicaMd5sAsync(cluster, "odd")).Should().Equal([Md5(body), Md5(body), Md5(body)], "each replica got every piece, in order");
    }

    [Test]
    public async Task A_body_shorter_than_its_content_length_is_refused_and_kept_nowhere()
    {
        await using var cluster = await SwiftCluster.StartZonesAsync(3);
        var token = await CreateContainerAsync(cluster);
        var body = new byte[(1 << 20) + 4321];
        new Random(7).NextBytes(body);

        // The client announces 1,000 bytes more than it sends, then ends its side of the connection.
        var status = await RawPutAsync(cluster, token, "short", body, body.Length + 1000, [65536], endEarly: true);

        // Kestrel takes a client that ends its side mid-body as gone (swift's 499): the connection is reset, no answer.
        status.Should().NotStartWith("HTTP/1.1 2", cluster.Output);
        (await ReplicaMd5sAsync(cluster, "short")).Should().BeEmpty("no replica commits a body that ended early");
    }

    private static async Task<string> CreateContainerAsync(SwiftCluster cluster)
    {
        using var swift = new SwiftHttp(cluster);
        var token = await swift.TokenAsync("system:root", "testpass");
        using var proxy = new HttpClient { BaseAddress = new Uri(cluster.ProxyUrl) };
        proxy.DefaultRequestHeaders.Add("X-Auth-Token", token);
        using var created = await proxy.PutAsync($"/v1/{Account}/{Container}", new ByteArrayContent([]));
        created.IsSuccessStatusCode.Should().BeTrue(cluster.Output);
        return token;
    }

    // A PUT written on a bare socket, the body in pieces of the given sizes in turn (Nagle off, so each piece leaves as it
    // is written); with endEarly the client half-closes after the body. The status line, empty when there was no answer.
    private static async Task<string> RawPutAsync(SwiftCluster cluster, string token, string name, byte[] body, long announced, int[] pieces, bool endEarly)
    {
        var proxy = new Uri(cluster.ProxyUrl);
        using var client = new TcpClient { NoDelay = true };
        await client.ConnectAsync(proxy.Host, proxy.Port);
        var stream = client.GetStream();
        var head = $"PUT /v1/{Account}/{Container}/{name} HTTP/1.1\r\nHost: {proxy.Authority}\r\nX-Auth-Token: {token}\r\n"
            + $"Content-Type: application/octet-stream\r\nContent-Length: {announced}\r\n\r\n";
        await stream.WriteAsync(Encoding.ASCII.GetBytes(head));
        for (int offset = 0, i = 0; offset < body.Length; i++)
        {
            var piece = Math.Min(pieces[i % pieces.Length], body.Length - offset);
            await stream.WriteAsync(body.AsMemory(offset, piece));
            offset += piece;
        }
        if (endEarly)
        {
            client.Client.Shutdown(SocketShutdown.Send);
        }
        using var reader = new StreamReader(stream, Encoding.ASCII);
        try
        {
            return await reader.ReadLineAsync() ?? "";
        }
        catch (IOException)
        {
            // Reset: no answer.
            return "";
        }
    }

    // The MD5 of the object on each replica that serves it.
    private static async Task<List<string>> ReplicaMd5sAsync(SwiftCluster cluster, string name)
    {
        var ring = cluster.Ring("object");
        using var direct = new HttpClient();
        var served = new List<string>();
        foreach (var node in cluster.Nodes)
        {
            var url = node.ObjectUrl + SwiftPath.Of(node.DeviceZones[0].Device, ring.GetPartition(Account, Container, name), Account, Container, name);
            using var get = await direct.GetAsync(url);
            if (get.StatusCode != HttpStatusCode.NotFound)
            {
                get.StatusCode.Should().Be(HttpStatusCode.OK, node.ObjectUrl);
                served.Add(Md5(await get.Content.ReadAsByteArrayAsync()));
            }
        }
        return served;
    }

    private static string Md5(byte[] data) => Convert.ToHexStringLower(MD5.HashData(data));

    /// <summary>A body of known length that stops after <c>pauseAt</c> bytes until the test resumes it.</summary>
    private sealed class PausingContent(byte[] body, int pauseAt) : HttpContent
    {
        private readonly TaskCompletionSource _paused = new(TaskCreationOptions.RunContinuationsAsynchronously);
        private readonly TaskCompletionSource _resume = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public Task Paused => _paused.Task;

        public void Resume() => _resume.TrySetResult();

        protected override async Task SerializeToStreamAsync(Stream stream, TransportContext? context)
        {
            await stream.WriteAsync(body.AsMemory(0, pauseAt));
            await stream.FlushAsync();
            // Let the proxy pass the first half on to the replicas before any of them dies.
            await Task.Delay(500);
            _paused.TrySetResult();
            await _resume.Task;
            await stream.WriteAsync(body.AsMemory(pauseAt));
        }

        protected override bool TryComputeLength(out long length)
        {
            length = body.Length;
            return true;
        }
    }
}
