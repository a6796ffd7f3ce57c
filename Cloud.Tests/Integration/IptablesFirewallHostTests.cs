using System.Diagnostics;
using System.Globalization;
using System.Text.RegularExpressions;
using Cloud.Modules.Compute.Firewall;
using Cloud.Tests.Support;
using FluentAssertions;
using Microsoft.Extensions.Logging.Abstractions;
using NUnit.Framework;

namespace Cloud.Tests.Integration;

/// <summary>
/// The firewall driver against a real filter table and real packets: a compute host namespace with a bridge, and
/// two "instances", each a namespace whose eth0 is a veth plugged into the bridge through a port named like the
/// instance's tap. Default deny, rules, a source address admitted, a forged source refused, and a rebuild that
/// leaves <c>iptables-save</c> as it was (also after the chains were flushed by hand).
/// </summary>
[TestFixture]
[Category("Integration")]
[NonParallelizable]
public sealed partial class IptablesFirewallHostTests
{
    private const string A = "5e0a0001-0000-4000-8000-00000000000a";
    private const string B = "5e0b0002-0000-4000-8000-00000000000b";
    private readonly List<NetworkNamespace> _namespaces = [];
    private NetworkNamespace _host = null!;
    private NetworkNamespace _a = null!;
    private NetworkNamespace _b = null!;
    private TempDir _www = null!;

    [OneTimeSetUp]
    public async Task StartAsync()
    {
        _host = await NewNamespaceAsync("sgfw-host");
        await _host.RunAsync("/usr/bin/ip", "link", "add", "sgbr0", "type", "bridge");
        await _host.RunAsync("/usr/bin/ip", "link", "set", "sgbr0", "up");
        _a = await PlugAsync(A, "10.9.0.11", "52:54:00:09:00:0b");
        _b = await PlugAsync(B, "10.9.0.12", "52:54:00:09:00:0c");
        _www = new TempDir();
        await File.WriteAllTextAsync(Path.Combine(_www.Path, "index.html"), "hello-from-b\n");
        await _b.RunAsync("/bin/busybox", "httpd", "-p", "80", "-h", _www.Path);
    }

    [OneTimeTearDown]
    public async Task StopAsync()
    {
        foreach (var ns in Enumerable.Reverse(_namespaces))
        {
            await ns.DisposeAsync();
        }
        _www?.Dispose();
    }

    [Test]
    [Order(1)]
    public async Task Only_the_rules_admit_traffic_and_a_forged_source_gets_nothing_through()
    {
        var driver = Driver();
        await driver.SyncAsync([FilterA(), FilterB()], default);
        (await PingAsync(_a, "10.9.0.12")).Should().BeFalse("B has no rule yet");

        await driver.ApplyAsync([FilterB(new IngressRule("icmp", -1, -1, "0.0.0.0/0"))], default);
        await Poller.UntilAsync(() => PingAsync(_a, "10.9.0.12"), TimeSpan.FromSeconds(30), "icmp to be authorised");
        (await FetchAsync(_a, "10.9.0.12")).Should().BeFalse("tcp 80 is not");

        await driver.ApplyAsync([FilterB(new IngressRule("tcp", 80, 80, "10.9.0.11/32"), new IngressRule("icmp", -1, -1, "10.9.0.13/32"))], default);
        (await FetchAsync(_a, "10.9.0.12")).Should().BeTrue("A's address is admitted");
        (await PingAsync(_a, "10.9.0.12")).Should().BeFalse("icmp is now admitted only from 10.9.0.13");

        // A claims 10.9.0.13, the one address B admits icmp from: its anti-spoofing chain drops what it sends from it.
        await _a.RunAsync("/usr/bin/ip", "addr", "add", "10.9.0.13/24", "dev", "eth0");
        try
        {
            (await PingAsync(_a, "10.9.0.12", "10.9.0.13")).Should().BeFalse("a forged source address gets nothing through");
        }
        finally
        {
            await _a.RunAsync("/usr/bin/ip", "addr", "del", "10.9.0.13/24", "dev", "eth0");
        }
    }

    [Test]
    [Order(3)]
    public async Task Bridged_ipv6_to_and_from_instances_is_dropped_even_where_every_ipv4_packet_is_admitted()
    {
        var openB = FilterB(new IngressRule("icmp", -1, -1, "0.0.0.0/0"));
        await _a.RunAsync("/usr/bin/ip", "-6", "addr", "add", "fd09::11/64", "dev", "eth0", "nodad");
        await _b.RunAsync("/usr/bin/ip", "-6", "addr", "add", "fd09::12/64", "dev", "eth0", "nodad");
        await Driver().SyncAsync([FilterA(), openB], default);
        await Poller.UntilAsync(() => PingAsync(_a, "10.9.0.12"), TimeSpan.FromSeconds(30), "IPv4 icmp to be admitted");
        (await Ping6Async(_a, "fd09::12")).Should().BeFalse("instances get no IPv6, so tenants on one bridge cannot use it to bypass their groups");

        foreach (var rule in IptablesRules.Ipv6Drops)
        {
            await _host.RunAsync("/usr/sbin/ip6tables", ["-D", "FORWARD", .. rule]);
        }
        // A's neighbour entry for B failed while the drops ate its solicitations: resolving it again plus the echo can
        // take longer than one ping's 2 s wait on a busy machine (seen in CI), so a passing ping is waited for.
        await Poller.UntilAsync(() => Ping6Async(_a, "fd09::12"), TimeSpan.FromSeconds(30), "IPv6 to pass without the drops (the check above sees them)");
        await Driver().SyncAsync([FilterA(), openB], default);
        (await Ping6Async(_a, "fd09::12")).Should().BeFalse("a rebuild puts the drops back");
    }

    [Test]
    [Order(2)]
    public async Task A_rebuild_is_idempotent_repairs_hand_flushed_chains_and_removes_stale_ones()
    {
        var filters = new[] { FilterA(new IngressRule("tcp", 22, 22, "0.0.0.0/0")), FilterB(new IngressRule("icmp", 8, -1, "10.9.0.0/24")) };
        await Driver().SyncAsync(filters, default);
        var before = await SaveAsync();

        await Driver().SyncAsync(filters, default);
        (await SaveAsync()).Should().Be(before, "a second rebuild (a restarted compute process) changes nothing");

        await _host.RunAsync("/usr/sbin/iptables", "-F", IptablesRules.DispatchChain);
        await _host.RunAsync("/usr/sbin/iptables", "-F", IptablesRules.IngressChain(B));
        await _host.RunAsync("/usr/sbin/iptables", "-D", "FORWARD", "-j", IptablesRules.DispatchChain);
        await Driver().SyncAsync(filters, default);
        (await SaveAsync()).Should().Be(before, "chains flushed by hand are rebuilt as they were");

        await Driver().SyncAsync([filters[0]], default);
        (await SaveAsync()).Should().NotContain(IptablesRules.Key(B), "the chains of an instance no longer on the host are deleted");
    }

    /// <summary>The figures for the closing note: 200 instances with 5 rules each on one host.</summary>
    [Test]
    [Explicit("benchmark: prints figures, asserts no timing")]
    public async Task Benchmark_200_instances_with_5_rules()
    {
        var filters = Enumerable.Range(0, 200).Select(i => BenchFilter(i, 22)).ToList();
        var driver = Driver();
        var clock = Stopwatch.StartNew();
        await driver.SyncAsync(filters, default);
        var rebuild = clock.Elapsed;
        var rules = (await SaveAsync()).Split('\n').Count(l => l.StartsWith("-A ", StringComparison.Ordinal));

        clock.Restart();
        await Driver().SyncAsync(filters, default);
        var restartRebuild = clock.Elapsed;

        // One rule changed in one group that 10 of the instances share: only their chains are rewritten.
        var changed = filters.Select((f, i) => i % 20 == 0 ? BenchFilter(i, 2222) : f).ToList();
        clock.Restart();
        var rewritten = await driver.ApplyAsync(changed, default);
        var change = clock.Elapsed;
        TestContext.Out.WriteLine($"BENCH firewall: 200 instances x 5 rules: {rules} iptables rules; full rebuild {rebuild.TotalMilliseconds:F0} ms " +
            $"(again, as after a restart: {restartRebuild.TotalMilliseconds:F0} ms); one rule change affecting {rewritten} instances: {change.TotalMilliseconds:F0} ms");
        await Driver().SyncAsync([], default);
    }

    private static InstanceFilter BenchFilter(int i, int port)
    {
        var uuid = $"be{i:x6}-0000-4000-8000-000000000000";
        return new InstanceFilter(uuid, "tap" + IptablesRules.Key(uuid), $"52:54:00:10:{i / 256:x2}:{i % 256:x2}", $"10.10.{i / 256}.{(i % 256) + 1}", "10.10.0.1", null,
        [
            new IngressRule("tcp", port, port, "0.0.0.0/0"), new IngressRule("tcp", 80, 90, "192.168.0.0/16"), new IngressRule("udp", 53, 53, "10.0.0.0/8"),
            new IngressRule("icmp", -1, -1, "0.0.0.0/0"), new IngressRule("tcp", 443, 443, $"10.10.0.{(i % 250) + 1}/32"),
        ]);
    }

    private IptablesFirewallDriver Driver() => new(new FirewallCommands(_host.Prefix), NullLogger<IptablesFirewallDriver>.Instance);

    private static InstanceFilter FilterA(params IngressRule[] rules) => new(A, "tap" + IptablesRules.Key(A), "52:54:00:09:00:0b", "10.9.0.11", "10.9.0.1", null, rules);

    private static InstanceFilter FilterB(params IngressRule[] rules) => new(B, "tap" + IptablesRules.Key(B), "52:54:00:09:00:0c", "10.9.0.12", "10.9.0.1", null, rules);

    /// <summary>The filter table without comments and counters.</summary>
    private async Task<string> SaveAsync() =>
        Counters().Replace(string.Join('\n', (await _host.RunAsync("/usr/sbin/iptables-save", "-t", "filter")).Split('\n').Where(l => !l.StartsWith('#'))), "");

    private async Task<NetworkNamespace> NewNamespaceAsync(string purpose)
    {
        var ns = await NetworkNamespace.CreateAsync(purpose);
        _namespaces.Add(ns);
        return ns;
    }

    /// <summary>An "instance": a namespace whose eth0 reaches the bridge through a veth port named as its tap.</summary>
    private async Task<NetworkNamespace> PlugAsync(string uuid, string address, string mac)
    {
        var ns = await NewNamespaceAsync("sgfw-vm");
        var tap = "tap" + IptablesRules.Key(uuid);
        await _host.RunAsync("/usr/bin/ip", "link", "add", tap, "type", "veth", "peer", "name", "eth0", "netns", ns.Name);
        await _host.RunAsync("/usr/bin/ip", "link", "set", tap, "master", "sgbr0", "up");
        await ns.RunAsync("/usr/bin/ip", "link", "set", "eth0", "address", mac);
        await ns.RunAsync("/usr/bin/ip", "addr", "add", $"{address}/24", "dev", "eth0");
        await ns.RunAsync("/usr/bin/ip", "link", "set", "eth0", "up");
        return ns;
    }

    private static async Task<bool> PingAsync(NetworkNamespace from, string to, string? source = null) =>
        (await from.ExecAsync("/bin/busybox", source is null ? ["ping", "-c", "1", "-W", "2", to] : ["ping", "-c", "1", "-W", "2", "-I", source, to])).ExitCode == 0;

    private static async Task<bool> Ping6Async(NetworkNamespace from, string to) =>
        (await from.ExecAsync("/bin/busybox", ["ping6", "-c", "1", "-W", "2", to])).ExitCode == 0;

    private static async Task<bool> FetchAsync(NetworkNamespace from, string to) =>
        (await from.ExecAsync("/bin/busybox", ["timeout", "3", "busybox", "wget", "-q", "-O", "-", $"http://{to}/"], TimeSpan.FromSeconds(10))).Stdout.Contains("hello-from-b", StringComparison.Ordinal);

    [GeneratedRegex(@" \[\d+:\d+\]")]
    private static partial Regex Counters();
}
