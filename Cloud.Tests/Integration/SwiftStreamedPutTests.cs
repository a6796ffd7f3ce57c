using System.Net;
using System.Security.Cryptography;
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
        var ring = cluster.Ring("object");
        var served = 0;
        using var direct = new HttpClient { Timeout = TimeSpan.FromSeconds(60) };
        foreach (var node in cluster.Nodes)
        {
            var url = node.ObjectUrl + SwiftPath.Of(node.DeviceZones[0].Device, ring.GetPartition(Account, Container, "big"), Account, Container, "big");
            using var get = await direct.GetAsync(url);
            if (get.StatusCode == HttpStatusCode.NotFound)
            {
                continue;
            }
            get.StatusCode.Should().Be(HttpStatusCode.OK, node.ObjectUrl);
            Md5(await get.Content.ReadAsByteArrayAsync()).Should().Be(Md5(body), $"a replica on {node.ObjectUrl} serves only the whole object");
            served++;
        }
        using var read = await proxy.GetAsync($"/v1/{Account}/{Container}/big");
        if (expected == HttpStatusCode.Created)
        {
            served.Should().BeGreaterThanOrEqualTo(2, "the 201 came from a quorum of durable replicas");
            read.StatusCode.Should().Be(HttpStatusCode.OK);
            Md5(await read.Content.ReadAsByteArrayAsync()).Should().Be(Md5(body));
        }
        else
        {
            served.Should().Be(0, "a write below quorum is abandoned on every replica");
            read.StatusCode.Should().Be(HttpStatusCode.NotFound);
        }
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
