using Cloud.Tests.Support;
using FluentAssertions;
using NUnit.Framework;

namespace Cloud.Tests.Integration;

/// <summary>The harness the real-instance tests stand on: a cloudd inside a namespace, reached through loopback bridges both ways.</summary>
[TestFixture]
[Category("Integration")]
public sealed class NetworkNamespaceHarnessTests
{
    [Test]
    public async Task A_cloud_inside_a_namespace_answers_the_clients_outside_on_the_same_loopback_urls()
    {
        await using var ns = await NetworkNamespace.CreateAsync("harness");
        await using var cloud = await ApiCloud.StartInAsync(ns, new Dictionary<string, string>(), null, "api", null);
        using var http = new HttpClient();

        (await http.GetAsync($"{cloud.KeystoneUrl}/v3")).IsSuccessStatusCode.Should().BeTrue();
        (await ns.RunAsync("/usr/bin/ip", "-o", "link")).Should().NotContain("eth0", "the namespace has only its own loopback");
    }

    [Test]
    public async Task A_service_outside_is_reachable_inside_through_an_imported_port()
    {
        await using var ns = await NetworkNamespace.CreateAsync("harness");
        await using var memcached = await MemcachedProcess.StartAsync();
        using var dir = new TempDir();
        await using var bridge = await PortBridge.ImportAsync(ns, memcached.Port, dir.Path);

        var run = await ns.ExecAsync("/usr/bin/socat", ["-", $"TCP:127.0.0.1:{memcached.Port}"], environment: null);
        run.ExitCode.Should().Be(0, run.ToString());
    }
}
