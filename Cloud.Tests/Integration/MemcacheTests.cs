using System.Net;
using Cloud.Modules.Kernel.Cache;
using Cloud.Tests.Support;
using FluentAssertions;
using Microsoft.Extensions.Logging;
using NUnit.Framework;

namespace Cloud.Tests.Integration;

/// <summary><c>--memcache_servers</c>: real memcached processes behind the cache, and swift proxies sharing tempauth tokens through them.</summary>
[Category("Integration")]
public sealed class MemcacheTests
{
    [Test]
    public async Task Keys_spread_over_every_server_and_a_dead_server_reads_as_a_miss_not_an_error()
    {
        await using var one = await MemcachedProcess.StartAsync();
        await using var two = await MemcachedProcess.StartAsync();
        var log = new CapturingLogger<MemcacheCache>();
        var cache = new MemcacheCache(new CacheFlags { MemcacheServers = $"{one.Servers}, {two.Servers}" }, TimeProvider.System, log);
        await Task.WhenAll(Enumerable.Range(0, 100).Select(i => cache.SetAsync($"k{i}", new[] { (byte)i }, TimeSpan.FromMinutes(5), default)));
        var alone = new MemcacheCache(new CacheFlags { MemcacheServers = two.Servers }, TimeProvider.System, log);
        var onTwo = (await Task.WhenAll(Enumerable.Range(0, 100).Select(i => alone.GetAsync($"k{i}", default)))).Count(v => v is not null);
        onTwo.Should().BeInRange(10, 90, "consistent hashing gives each server a share");

        await one.KillAsync();
        var afterwards = await Task.WhenAll(Enumerable.Range(0, 100).Select(i => cache.GetAsync($"k{i}", default)));

        afterwards.Count(v => v is not null).Should().Be(onTwo, "the keys of the live server still read, the dead server's are misses");
        log.Entries.Should().Contain(e => e.Level == LogLevel.Error && e.Message.Contains(one.Servers, StringComparison.Ordinal));
        await cache.SetAsync("after", new byte[] { 1 }, TimeSpan.FromMinutes(1), default);
        (await cache.GetAsync("after", default)).Should().Equal([(byte)1], "a dead server's keys move to the live one");
    }

    [Test]
    public void A_malformed_server_list_is_a_flag_error()
    {
        var bad = () => new MemcacheCache(new CacheFlags { MemcacheServers = "127.0.0.1:notaport" }, TimeProvider.System, new CapturingLogger<MemcacheCache>());
        bad.Should().Throw<Cloud.Modules.Kernel.Flags.FlagException>().WithMessage("*127.0.0.1:notaport*");
    }

    [Test]
    public async Task A_tempauth_token_from_one_proxy_works_on_another_and_survives_a_restart_with_memcached()
    {
        await using var memcached = await MemcachedProcess.StartAsync();
        await using var cluster = await SwiftCluster.StartAsync([$"--memcache_servers={memcached.Servers}"]);
        using var http = new HttpClient();
        var token = await TokenAsync(http, cluster.AuthUrl);
        var port = FreePort.Next();
        var flags = cluster.ProxyFlags.Select(f => f.StartsWith("--swift_proxy_bind=", StringComparison.Ordinal) ? $"--swift_proxy_bind=127.0.0.1:{port}" : f);
        await using var second = CloudProcess.Start(["--roles=swift-proxy", .. flags]);
        await Poller.UntilAsync(async () => await SwiftCluster.AnswersAsync(http, $"http://127.0.0.1:{port}/healthcheck"), TimeSpan.FromSeconds(60), "the second proxy");

        using var request = new HttpRequestMessage(HttpMethod.Head, $"http://127.0.0.1:{port}/v1/AUTH_system");
        request.Headers.Add("X-Auth-Token", token);
        using var answer = await http.SendAsync(request);

        answer.StatusCode.Should().Be(HttpStatusCode.NoContent, second.Output);
    }

    [Test]
    public async Task A_proxy_whose_memcached_is_gone_answers_401_for_its_tokens_not_500()
    {
        await using var memcached = await MemcachedProcess.StartAsync();
        await using var cluster = await SwiftCluster.StartAsync([$"--memcache_servers={memcached.Servers}"]);
        using var http = new HttpClient();
        var token = await TokenAsync(http, cluster.AuthUrl);
        await memcached.KillAsync();

        using var request = new HttpRequestMessage(HttpMethod.Head, $"{cluster.ProxyUrl}/v1/AUTH_system");
        request.Headers.Add("X-Auth-Token", token);
        using var answer = await http.SendAsync(request);

        answer.StatusCode.Should().Be(HttpStatusCode.Unauthorized);
    }

    private static async Task<string> TokenAsync(HttpClient http, string authUrl)
    {
        using var auth = new HttpRequestMessage(HttpMethod.Get, authUrl);
        auth.Headers.Add("X-Auth-User", "system:root");
        auth.Headers.Add("X-Auth-Key", "testpass");
        using var issued = await http.SendAsync(auth);
        issued.StatusCode.Should().Be(HttpStatusCode.OK);
        return issued.Headers.GetValues("X-Auth-Token").Single();
    }
}
