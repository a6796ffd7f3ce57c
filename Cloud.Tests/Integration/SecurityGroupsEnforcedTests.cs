using System.Diagnostics;
using System.Text.RegularExpressions;
using Cloud.Modules.Compute.Firewall;
using Cloud.Tests.Support;
using FluentAssertions;
using NUnit.Framework;

namespace Cloud.Tests.Integration;

/// <summary>
/// Security groups enforced on two compute hosts with <c>--allow_same_net_traffic=false</c> (one flat network shared
/// by all projects, so only the groups separate tenants), with real guests: A of alice's project on cmp1; B (cmp2)
/// and C (cmp1) of carol's. Both projects admit ssh from the controller (10.0.0.1, the test's jump host) only. The
/// seed's 4.5.6 commands through awscli and openstack, a revoke, a source-group rule, a forged source address, and a
/// compute process restarted after its chains were flushed by hand.
/// </summary>
[TestFixture]
[Category("Integration")]
[NonParallelizable]
public sealed partial class SecurityGroupsEnforcedTests
{
    private TwoComputeHostsCloud _hosts = null!;
    private (string Id, string Uuid, string Address) _a;
    private (string Id, string Uuid, string Address) _b;
    private (string Id, string Uuid, string Address) _c;

    private ComputeApiCloud Cloud => _hosts.Cloud;

    [OneTimeSetUp]
    public async Task StartAsync()
    {
        _hosts = await TwoComputeHostsCloud.StartAsync("--allow_same_net_traffic=false");
        var publicKey = Path.Combine(Cloud.Home, "mykey.pub");
        await File.WriteAllTextAsync(publicKey, _hosts.Guests.PublicKey + "\n");
        (await Cloud.OpenstackAsync("carol", "keypair", "create", "--public-key", publicKey, TestImageCloud.KeyName)).ExitCode.Should().Be(0);
        foreach (var user in new[] { "alice", "carol" })
        {
            await AwsAsync(user, "authorize-security-group-ingress", "--group-name", "default", "--protocol", "tcp", "--port", "22", "--cidr", "10.0.0.1/32");
        }
        // One boot per host at a time: two instances plugging into a host's bridge at once race to create it.
        var booted = await Task.WhenAll(BootAsync("alice", "zone1"), BootAsync("carol", "zone2"));
        (_a, _b, _c) = (booted[0], booted[1], await BootAsync("carol", "zone1"));
    }

    [OneTimeTearDown]
    public async Task StopAsync()
    {
        if (_hosts is not null)
        {
            await _hosts.DisposeAsync();
        }
    }

    [Test]
    [Order(1)]
    public async Task Server_group_actions_and_bad_rules_get_novas_errors_and_change_nothing()
    {
        var carol = await Cloud.TokenAsync("carol");
        var path = $"/v2.1/servers/{_b.Uuid}";
        (await Cloud.NovaAsync(carol, HttpMethod.Post, path + "/action", new { addSecurityGroup = new { name = "nosuch" } })).Status.Should().Be(404);
        (await Cloud.NovaAsync(carol, HttpMethod.Post, path + "/action", new { addSecurityGroup = new { name = "default" } })).Status.Should().Be(400);
        (await Cloud.NovaAsync(carol, HttpMethod.Post, path + "/action", new { removeSecurityGroup = new { name = "web" } })).Status.Should().Be(404);
        var groups = await Cloud.NovaAsync(carol, HttpMethod.Get, path + "/os-security-groups");
        groups.Status.Should().Be(200);
        ComputeApiCloud.Json(groups.Body).GetProperty("security_groups").EnumerateArray().Select(g => g.GetProperty("name").GetString()).Should().Equal("default");
        (await Cloud.NovaAsync(await Cloud.TokenAsync("alice"), HttpMethod.Get, path + "/os-security-groups")).Status.Should().Be(404, "another project's server");

        var before = await ChainAsync("cmp2", _b.Uuid);
        var bad = await Cloud.AwsAsync("carol", "authorize-security-group-ingress", "--group-name", "default", "--protocol", "tcp", "--port", "70000", "--cidr", "0.0.0.0/0");
        bad.ExitCode.Should().NotBe(0);
        bad.Stderr.Should().Contain("Invalid");
        (await ChainAsync("cmp2", _b.Uuid)).Should().Be(before);
    }

    [Test]
    [Order(2)]
    public async Task With_only_the_default_group_ssh_and_ping_from_another_projects_instance_fail()
    {
        (await SshAsync(_a.Address, "true")).ExitCode.Should().Be(0, "the jump host reaches A");
        (await CanPingAsync(_a, _b)).Should().BeFalse();
        (await CanSshAsync(_a, _b)).Should().BeFalse();
    }

    [Test]
    [Order(3)]
    public async Task The_seeds_authorize_commands_open_ssh_and_ping_on_both_hosts_and_a_revoke_closes_them_within_a_second()
    {
        await AwsAsync("carol", "authorize-security-group-ingress", "--group-name", "default", "--protocol", "tcp", "--port", "22", "--cidr", "0.0.0.0/0");
        var clock = Stopwatch.StartNew();
        await UntilChainsAsync(chains => chains.All(c => SshFromAnywhere().IsMatch(c)), "tcp 22 on cmp2 (B) and cmp1 (C)");
        var authorized = clock.Elapsed;
        (await Cloud.OpenstackAsync("carol", "security", "group", "rule", "create", "--protocol", "icmp", "default")).ExitCode.Should().Be(0);

        await Poller.UntilAsync(() => CanSshAsync(_a, _b), TimeSpan.FromSeconds(60), "A to reach B's ssh");
        (await CanSshAsync(_a, _c)).Should().BeTrue("C, on the other host, is in the same group");
        await Poller.UntilAsync(() => CanPingAsync(_a, _b), TimeSpan.FromSeconds(60), "A to ping B");

        await AwsAsync("carol", "revoke-security-group-ingress", "--group-name", "default", "--protocol", "tcp", "--port", "22", "--cidr", "0.0.0.0/0");
        clock.Restart();
        await UntilChainsAsync(chains => chains.All(c => !SshFromAnywhere().IsMatch(c)), "tcp 22 revoked on both hosts");
        var revoked = clock.Elapsed;
        TestContext.Out.WriteLine($"BENCH security groups: AuthorizeSecurityGroupIngress effective on 2 hosts after {authorized.TotalMilliseconds:F0} ms; revoke after {revoked.TotalMilliseconds:F0} ms");
        revoked.Should().BeLessThan(TimeSpan.FromSeconds(5), "a revoke reaches both hosts by fanout at once (measured: {0} ms)", revoked.TotalMilliseconds);
        (await CanSshAsync(_a, _b)).Should().BeFalse("the revoked rule no longer admits A");
        (await CanPingAsync(_a, _b)).Should().BeTrue("icmp is still authorised");
    }

    [Test]
    [Order(4)]
    public async Task A_source_group_rule_admits_only_the_groups_members()
    {
        (await Cloud.OpenstackAsync("carol", "security", "group", "create", "members")).ExitCode.Should().Be(0);
        (await Cloud.OpenstackAsync("carol", "security", "group", "rule", "create", "--protocol", "tcp", "--dst-port", "22", "--remote-group", "members", "default"))
            .ExitCode.Should().Be(0);
        (await CanSshAsync(_c, _b)).Should().BeFalse("C is no member yet");

        (await Cloud.OpenstackAsync("carol", "server", "add", "security", "group", _c.Uuid, "members")).ExitCode.Should().Be(0);
        await Poller.UntilAsync(() => CanSshAsync(_c, _b), TimeSpan.FromSeconds(60), "C, now a member, to reach B's ssh");
        (await CanSshAsync(_a, _b)).Should().BeFalse("A is no member");

        (await Cloud.OpenstackAsync("carol", "server", "remove", "security", "group", _c.Uuid, "members")).ExitCode.Should().Be(0);
        await UntilChainsAsync(chains => !chains[0].Contains($"-s {_c.Address}/32", StringComparison.Ordinal), "C's address to leave B's chain");
        (await CanSshAsync(_c, _b)).Should().BeFalse("C left the group");
        var again = await Cloud.NovaAsync(await Cloud.TokenAsync("carol"), HttpMethod.Post, $"/v2.1/servers/{_c.Uuid}/action", new { removeSecurityGroup = new { name = "members" } });
        again.Status.Should().Be(400, again.Body);
    }

    [Test]
    [Order(5)]
    public async Task An_instance_forging_its_source_address_gets_nothing_through()
    {
        const string Forged = "10.0.0.250";
        await AwsAsync("carol", "revoke-security-group-ingress", "--group-name", "default", "--protocol", "icmp", "--port", "-1", "--cidr", "0.0.0.0/0");
        await AwsAsync("carol", "authorize-security-group-ingress", "--group-name", "default", "--protocol", "icmp", "--port", "-1", "--cidr", $"{Forged}/32");
        await UntilChainsAsync(chains => chains[0].Contains($"-s {Forged}/32 -p icmp", StringComparison.Ordinal), "icmp only from the forged address");

        var forged = await SshAsync(_a.Address, $"ip addr add {Forged}/24 dev eth0; ping -c 2 -W 3 -I {Forged} {_b.Address} && echo PING-OK; ip addr del {Forged}/24 dev eth0");
        forged.Stdout.Should().NotContain("PING-OK", "A's anti-spoofing chain drops what it sends from an address not its own");
        (await CanPingAsync(_a, _b)).Should().BeFalse("A's own address is not admitted either");
    }

    [Test]
    [Order(6)]
    public async Task A_compute_process_restarted_after_its_chains_were_flushed_by_hand_rebuilds_the_same_rules()
    {
        var (host, compute) = _hosts.Computes["cmp2"];
        var before = await SaveAsync(host);
        before.Should().Contain(IptablesRules.IngressChain(_b.Uuid));
        compute.KillHard();
        await compute.WaitForExitAsync(TimeSpan.FromSeconds(30));
        foreach (var chain in new[] { IptablesRules.DispatchChain, IptablesRules.IngressChain(_b.Uuid), IptablesRules.SpoofChain(_b.Uuid) })
        {
            await host.Namespace.RunAsync("/usr/sbin/iptables", "-F", chain);
        }
        (await SaveAsync(host)).Should().NotBe(before);

        _hosts.RestartCompute("cmp2");
        await Poller.UntilAsync(async () => await SaveAsync(host) == before, TimeSpan.FromSeconds(90), "cmp2's chains to be rebuilt as they were, nothing twice");
    }

    private async Task<(string Id, string Uuid, string Address)> BootAsync(string user, string zone)
    {
        var ami = await AwsAsync(user, "describe-images", "--query", "Images[?Name=='tinyvm'].ImageId", "--output", "text");
        var id = await AwsAsync(user, "run-instances", "--image-id", ami, "--instance-type", "m1.tiny", "--key-name", TestImageCloud.KeyName,
            "--placement", $"AvailabilityZone={zone}", "--query", "Instances[0].InstanceId", "--output", "text");
        var address = "";
        var state = "";
        var boot = Poller.UntilAsync(async () =>
        {
            state = (await Cloud.AwsAsync(user, "describe-instances", "--instance-ids", id, "--query", "Reservations[].Instances[].[State.Name,StateReason.Message]", "--output", "text")).Stdout;
            state.Should().NotStartWith("error", "{0}'s {1} failed", user, id);
            var console = (await Cloud.AwsAsync(user, "get-console-output", "--instance-id", id, "--output", "text", "--query", "Output")).Stdout;
            address = Ready().Match(console) is { Success: true } m ? m.Groups[1].Value : "";
            return address.Length > 0;
        }, TimeSpan.FromMinutes(6), $"{user}'s {id} to boot");
        try
        {
            await boot;
        }
        catch (Exception e) when (e is TimeoutException or AssertionException)
        {
            var logs = string.Join("\n", _hosts.Computes.Values.Select(c => string.Join('\n', c.Compute.Output.Split('\n').TakeLast(30))));
            throw new InvalidOperationException($"{e.Message}\nstate: {state}\ncompute output:\n{logs}", e);
        }
        return (id, await _hosts.Guests.UuidOfAsync(id), address);
    }

    private async Task<string> AwsAsync(string user, params string[] args)
    {
        var run = await Cloud.AwsAsync(user, args);
        run.ExitCode.Should().Be(0, "aws ec2 {0} as {1}: {2}", string.Join(' ', args), user, run);
        return run.Stdout.Trim();
    }

    /// <summary>From the controller, the test's jump host (both projects admit its ssh).</summary>
    private Task<ToolRun> SshAsync(string address, string command) => _hosts.Guests.SshAsync(_hosts.Controller, address, command, connectTimeoutSeconds: 20);

    private async Task<bool> CanSshAsync((string Id, string Uuid, string Address) from, (string Id, string Uuid, string Address) to) =>
        (await SshAsync(from.Address, $"echo | timeout 5 nc {to.Address} 22")).Stdout.Contains("SSH-2.0", StringComparison.Ordinal);

    private async Task<bool> CanPingAsync((string Id, string Uuid, string Address) from, (string Id, string Uuid, string Address) to) =>
        (await SshAsync(from.Address, $"ping -c 2 -W 3 {to.Address} >/dev/null && echo PING-OK")).Stdout.Contains("PING-OK", StringComparison.Ordinal);

    /// <summary>B's ingress chain on cmp2, then C's on cmp1.</summary>
    private async Task<string[]> ChainsAsync() => [await ChainAsync("cmp2", _b.Uuid), await ChainAsync("cmp1", _c.Uuid)];

    private async Task<string> ChainAsync(string host, string uuid) =>
        (await _hosts.Computes[host].Host.Namespace.ExecAsync("/usr/sbin/iptables", ["-S", IptablesRules.IngressChain(uuid)])).Stdout;

    private Task UntilChainsAsync(Func<string[], bool> condition, string what) =>
        Poller.UntilAsync(async () => condition(await ChainsAsync()), TimeSpan.FromSeconds(30), what);

    private static async Task<string> SaveAsync(VirtHost host) =>
        Counters().Replace(string.Join('\n', (await host.Namespace.RunAsync("/usr/sbin/iptables-save", "-t", "filter")).Split('\n').Where(l => !l.StartsWith('#'))), "");

    [GeneratedRegex(@"TINYVM: READY ip=(\S+)")]
    private static partial Regex Ready();

    /// <summary>The rule of <c>authorize tcp 22</c> from 0.0.0.0/0 (no source), not the jump host's.</summary>
    [GeneratedRegex(@"^-A \S+ -p tcp -m tcp --dport 22 -j ACCEPT$", RegexOptions.Multiline)]
    private static partial Regex SshFromAnywhere();

    [GeneratedRegex(@" \[\d+:\d+\]")]
    private static partial Regex Counters();
}
