using System.Collections.Concurrent;
using System.Globalization;
using System.Net;
using System.Security.Cryptography;
using Cloud.Modules.Swift.Common;
using Cloud.Tests.Support;
using FluentAssertions;
using NUnit.Framework;

namespace Cloud.Tests.Integration;

/// <summary>
/// What a 201 promises (issue 19): objects PUT by several concurrent writers through the proxy while storage processes
/// are SIGKILLed at random points and restarted. Afterwards every acknowledged object reads back intact through the
/// proxy and is whole on at least a quorum of its replicas, and no replica serves a half-written file of any object,
/// acknowledged or not. The randomness (sizes, contents, when and which process dies) comes from one printed seed;
/// set SWIFT_DURABILITY_SEED to replay it.
/// </summary>
[Category("Integration")]
public sealed class SwiftDurabilityTests
{
    private const string Account = "AUTH_system";
    private const string Container = "durable";
    private const int Writers = 4;
    private const int Kills = 3;

    // Per writer, a bound only: the writers stop once the last killed process is back, and pause a little between
    // PUTs, so a few hundred objects are written through the kills and all of them are checked cheaply.
    private const int MaxObjectsPerWriter = 250;

    [Test]
    public async Task Every_acknowledged_object_is_intact_after_storage_processes_are_killed_mid_write()
    {
        var seed = Environment.GetEnvironmentVariable("SWIFT_DURABILITY_SEED") is { Length: > 0 } fixedSeed
            ? int.Parse(fixedSeed, CultureInfo.InvariantCulture)
            : Random.Shared.Next();
        TestContext.Out.WriteLine($"SWIFT_DURABILITY_SEED={seed}");
        await using var cluster = await SwiftCluster.StartZonesAsync(3);
        using var swift = new SwiftHttp(cluster);
        var token = await swift.TokenAsync("system:root", "testpass");
        using var proxy = new HttpClient { BaseAddress = new Uri(cluster.ProxyUrl), Timeout = TimeSpan.FromSeconds(30) };
        proxy.DefaultRequestHeaders.Add("X-Auth-Token", token);
        using (var created = await proxy.PutAsync($"/v1/{Account}/{Container}", new ByteArrayContent([])))
        {
            created.IsSuccessStatusCode.Should().BeTrue(cluster.Output);
        }

        var written = new ConcurrentDictionary<string, byte[]>();
        var acknowledged = new ConcurrentDictionary<string, string>();
        using var stop = new CancellationTokenSource();
        var writers = Enumerable.Range(0, Writers).Select(w => Task.Run(() => WriteAsync(proxy, w, new Random(seed + 1 + w), written, acknowledged, stop.Token))).ToList();
        var killer = new Random(seed);
        var kills = new List<string>();
        for (var round = 0; round < Kills; round++)
        {
            await Task.Delay(killer.Next(100, 700));
            var node = killer.Next(cluster.Nodes.Count);
            kills.Add($"node {node} after {acknowledged.Count} acknowledged");
            await cluster.Nodes[node].KillAsync();
            await Task.Delay(killer.Next(0, 400));
            await cluster.Nodes[node].StartAsync();
        }
        await stop.CancelAsync();
        await Task.WhenAll(writers);
        var context = $"seed {seed}; kills: {string.Join(", ", kills)}; {acknowledged.Count} of {written.Count} PUTs acknowledged";
        TestContext.Out.WriteLine(context);

        acknowledged.Should().NotBeEmpty(context);
        using var direct = new HttpClient { Timeout = TimeSpan.FromSeconds(30) };
        var ring = cluster.Ring("object");
        foreach (var (name, body) in written)
        {
            var expected = Md5(body);
            var intact = 0;
            foreach (var node in cluster.Nodes)
            {
                var url = node.ObjectUrl + SwiftPath.Of(node.DeviceZones[0].Device, ring.GetPartition(Account, Container, name), Account, Container, name);
                using var get = await direct.GetAsync(url);
                if (get.StatusCode == HttpStatusCode.NotFound)
                {
                    continue;
                }
                get.StatusCode.Should().Be(HttpStatusCode.OK, $"{name} on {node.ObjectUrl}; {context}");
                Md5(await get.Content.ReadAsByteArrayAsync()).Should().Be(expected, $"a replica of {name} serves only the whole object; {context}");
                intact++;
            }
            if (acknowledged.TryGetValue(name, out var etag))
            {
                etag.Should().Be(expected, $"the 201 of {name} carries its MD5; {context}");
                intact.Should().BeGreaterThanOrEqualTo(2, $"{name} was acknowledged by a quorum of its 3 replicas; {context}");
                using var read = await proxy.GetAsync($"/v1/{Account}/{Container}/{name}");
                read.StatusCode.Should().Be(HttpStatusCode.OK, $"{name}; {context}");
                Md5(await read.Content.ReadAsByteArrayAsync()).Should().Be(expected, $"{name} through the proxy; {context}");
                EtagOf(read).Should().Be(expected, $"{name}'s GET names its MD5; {context}");
            }
        }
    }

    // PUTs objects of random size and content until stopped; records every body sent and the ETag of each 201.
    private static async Task WriteAsync(HttpClient proxy, int writer, Random random, ConcurrentDictionary<string, byte[]> written,
        ConcurrentDictionary<string, string> acknowledged, CancellationToken stop)
    {
        for (var i = 0; i < MaxObjectsPerWriter && !stop.IsCancellationRequested; i++)
        {
            var name = $"w{writer}-{i:D4}";
            // Mostly small objects, some large enough that a kill can land while the body is still arriving.
            var body = new byte[random.Next(10) == 0 ? random.Next(64 * 1024, 256 * 1024) : random.Next(1, 8 * 1024)];
            random.NextBytes(body);
            written[name] = body;
            try
            {
                using var put = await proxy.PutAsync($"/v1/{Account}/{Container}/{name}", new ByteArrayContent(body), CancellationToken.None);
                if (put.StatusCode == HttpStatusCode.Created)
                {
                    acknowledged[name] = EtagOf(put);
                }
            }
            catch (HttpRequestException)
            {
                // Not acknowledged: the object may or may not exist, but never half-written.
            }
            catch (TaskCanceledException)
            {
                // Timed out: likewise unacknowledged.
            }
            await Task.Delay(random.Next(30), CancellationToken.None);
        }
    }

    // Swift sends its ETag unquoted, which HttpClient's typed ETag header does not parse: read the raw value.
    private static string EtagOf(HttpResponseMessage response) =>
        response.Headers.TryGetValues("ETag", out var values) ? values.Single().Trim('"') : "";

    private static string Md5(byte[] data) => Convert.ToHexStringLower(MD5.HashData(data));
}
