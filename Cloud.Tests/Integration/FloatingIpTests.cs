using System.Diagnostics;
using System.Text.RegularExpressions;
using Cloud.Tests.Support;
using Dapper;
using FluentAssertions;
using NUnit.Framework;

namespace Cloud.Tests.Integration;

/// <summary>
/// Floating IPs on a real guest: one cloudd with every role in a host namespace whose <c>--public_interface</c>
/// (fpub0, 172.24.4.1/24) is a veth to an "outside" namespace (172.24.4.100, an httpd whose CGI answers with the
/// client's address). With <c>--auto_assign_floating_ip</c> the guest gets one at boot and its outbound fetch arrives
/// from it; a second one, allocated and associated with awscli, answers ping and HTTP from outside and stops after
/// disassociate; the openstack client's nova-network path works; another project's address, an unknown pool and
/// the quota are refused with nothing changed; a killed network host with its NAT flushed rebuilds it exactly; and
/// terminate releases the auto-assigned address but only disassociates the allocated one. One guest for the fixture.
/// </summary>
[TestFixture]
[Category("Integration")]
[NonParallelizable]
public sealed class FloatingIpTests
{
    private const string Outside = "172.24.4.100";
    private readonly List<IAsyncDisposable> _teardown = [];
    private RealCloud _cloud = null!;
    private NetworkNamespace _outside = null!;
    private string _instance = "";
    private string _fixed = "";
    private string _auto = "";

    private TestImageCloud Guests => _cloud.Guests;

    [OneTimeSetUp]
    public async Task StartAsync()
    {
        TestEnv.RequireRoot();
        _outside = await NetworkNamespace.CreateAsync("fout");
        _teardown.Add(_outside);
        var www = "";
        _cloud = await RealCloud.StartAsync("fip", async host =>
        {
            www = await WhoAmISiteAsync(host.Directory);
            await host.Namespace.RunAsync("/usr/bin/ip", "link", "add", "fpub0", "type", "veth", "peer", "name", "fout0", "netns", _outside.Name);
            await host.Namespace.RunAsync("/usr/bin/ip", "addr", "add", "172.24.4.1/24", "dev", "fpub0");
            await host.Namespace.RunAsync("/usr/bin/ip", "link", "set", "fpub0", "up");
            await _outside.RunAsync("/usr/bin/ip", "addr", "add", $"{Outside}/24", "dev", "fout0");
            await _outside.RunAsync("/usr/bin/ip", "link", "set", "fout0", "up");
        },
        "--public_interface=fpub0", "--auto_assign_floating_ip=true",
        $"--libvirt_kernel_cmdline=root=/dev/vda console=ttyS0 panic=-1 tinyvm.fetch=http://{Outside}:8080/cgi-bin/whoami");
        _teardown.Add(BackgroundTool.Start("/usr/bin/ip", ["netns", "exec", _outside.Name, "/bin/busybox", "httpd", "-f", "-p", $"{Outside}:8080", "-h", www]));
        await _cloud.Api.ManageAsync("floating", "create", "172.24.4.8/29");
    }

    [OneTimeTearDown]
    public async Task StopAsync()
    {
        if (_cloud is not null)
        {
            await _cloud.DisposeAsync();
        }
        foreach (var item in Enumerable.Reverse(_teardown))
        {
            await item.DisposeAsync();
        }
    }

    [Test]
    [Order(1)]
    public async Task An_auto_assigned_floating_ip_carries_the_guests_traffic_out_and_in()
    {
        var list = await _cloud.Api.ManageAsync("floating", "list");
        list.Split('\n', StringSplitOptions.RemoveEmptyEntries).Should().HaveCount(6).And.AllSatisfy(l => l.Should().MatchRegex(@"^None\t172\.24\.4\.(9|1[0-4])\tNone\tnova\tfpub0$"));

        _instance = (await Guests.RunAsync()).Single();
        _fixed = (await Guests.ConsoleShowsAsync(_instance, @"TINYVM: READY ip=(\S+)")).Groups[1].Value;
        _auto = (await Guests.AwsAsync("describe-addresses", "--query", "Addresses[].PublicIp", "--output", "text")).Trim();
        _auto.Should().MatchRegex(@"^172\.24\.4\.\d+$", "the guest got one address, auto-assigned");

        var fetched = await Guests.ConsoleShowsAsync(_instance, @"TINYVM: fetch url=\S+ result=(.*)$");
        fetched.Groups[1].Value.Trim().Should().Be($"from {_auto}", "the guest's outbound traffic leaves with its floating IP");
        (await PingFromOutsideAsync(_auto)).Should().BeTrue();
        (await HttpFromOutsideAsync(_auto)).Should().Contain($"ip={_fixed}", "the guest's httpd answers on the floating IP");
        (await Guests.AwsAsync("describe-instances", "--instance-ids", _instance, "--query", "Reservations[].Instances[].[PrivateIpAddress,PublicIpAddress]", "--output", "text"))
            .Split(['\t', '\n'], StringSplitOptions.RemoveEmptyEntries).Should().Equal(_fixed, _auto);
        var addresses = await Guests.OpenstackAsync("alice", "server", "show", await Guests.UuidOfAsync(_instance), "-f", "json", "-c", "addresses");
        addresses.Should().Contain(_fixed).And.Contain(_auto);
    }

    [Test]
    [Order(2)]
    public async Task An_address_allocated_and_associated_with_awscli_answers_from_outside_until_it_is_disassociated()
    {
        var address = await Guests.AwsAsync("allocate-address", "--query", "PublicIp", "--output", "text");
        (await PingFromOutsideAsync(address, attempts: 1)).Should().BeFalse("an allocated address goes nowhere yet");

        var clock = Stopwatch.StartNew();
        await Guests.AwsAsync("associate-address", "--instance-id", _instance, "--public-ip", address);
        var associated = clock.ElapsedMilliseconds;
        await _cloud.UntilAsync(() => PingFromOutsideAsync(address, attempts: 1), $"{address} to answer ping");
        TestContext.Out.WriteLine($"BENCHMARK floating IP: aws ec2 associate-address took {associated} ms (CLI start-up included); "
            + $"first ping from outside answered {clock.ElapsedMilliseconds - associated} ms after it returned ({clock.ElapsedMilliseconds} ms in all)");

        (await HttpFromOutsideAsync(address)).Should().Contain($"ip={_fixed}");
        (await Guests.AwsAsync("describe-addresses", "--public-ips", address, "--query", "Addresses[].InstanceId", "--output", "text")).Should().Be(_instance);

        await Guests.AwsAsync("disassociate-address", "--public-ip", address);
        (await PingFromOutsideAsync(address, attempts: 1)).Should().BeFalse("a disassociated address is unreachable");
        (await HttpFromOutsideAsync(address)).Should().BeEmpty();
        (await PingFromOutsideAsync(_auto)).Should().BeTrue("the other floating IP still works");

        // The same through the API alone, without a client's start-up in the figure.
        var (token, server) = (await Guests.Compute.TokenAsync("alice"), await Guests.UuidOfAsync(_instance));
        clock.Restart();
        (await Guests.Compute.NovaAsync(token, HttpMethod.Post, $"/v2.1/servers/{server}/action", new { addFloatingIp = new { address } })).Status.Should().Be(202);
        var added = clock.ElapsedMilliseconds;
        await _cloud.UntilAsync(() => PingFromOutsideAsync(address, attempts: 1), $"{address} to answer ping again");
        TestContext.Out.WriteLine($"BENCHMARK floating IP: POST addFloatingIp answered in {added} ms; first ping from outside {clock.ElapsedMilliseconds} ms after the request");
        (await Guests.Compute.NovaAsync(token, HttpMethod.Post, $"/v2.1/servers/{server}/action", new { removeFloatingIp = new { address } })).Status.Should().Be(202);
        await Guests.AwsAsync("release-address", "--public-ip", address);
        (await Guests.AwsAsync("describe-addresses", "--query", "Addresses[].PublicIp", "--output", "text")).Trim().Should().Be(_auto);
    }

    [Test]
    [Order(3)]
    public async Task The_openstack_client_allocates_adds_removes_and_deletes_through_nova_network_routes()
    {
        var server = await Guests.UuidOfAsync(_instance);
        (await Guests.OpenstackAsync("alice", "floating", "ip", "pool", "list", "-f", "value")).Should().Be("nova");
        var created = await Guests.OpenstackAsync("alice", "floating", "ip", "create", "nova", "-f", "value", "-c", "id", "-c", "ip");
        var (id, address) = (created.Split('\n')[0], created.Split('\n')[1]);

        await Guests.OpenstackAsync("alice", "server", "add", "floating", "ip", server, address);
        await _cloud.UntilAsync(() => PingFromOutsideAsync(address, attempts: 1), $"{address} to answer ping");
        (await Guests.OpenstackAsync("alice", "floating", "ip", "list", "-f", "value", "-c", "Floating IP Address", "-c", "Fixed IP Address"))
            .Should().Contain($"{address} {_fixed}");
        var token = await Guests.Compute.TokenAsync("alice");
        var (status, body) = await Guests.Compute.NovaAsync(token, HttpMethod.Get, $"/v2.1/servers/{server}");
        status.Should().Be(200);
        body.Should().Contain($"\"addr\":\"{address}\",\"version\":4,\"OS-EXT-IPS:type\":\"floating\"");

        await Guests.OpenstackAsync("alice", "server", "remove", "floating", "ip", server, address);
        (await PingFromOutsideAsync(address, attempts: 1)).Should().BeFalse();
        await Guests.OpenstackAsync("alice", "floating", "ip", "delete", id);
        (await Guests.OpenstackAsync("alice", "floating", "ip", "list", "-f", "value", "-c", "Floating IP Address")).Should().Be(_auto);
    }

    [Test]
    [Order(4)]
    public async Task Another_projects_address_an_unknown_pool_a_repeated_associate_and_the_quota_change_nothing()
    {
        var server = await Guests.UuidOfAsync(_instance);
        var alice = await Guests.Compute.TokenAsync("alice");
        var carol = await Guests.Compute.TokenAsync("carol");
        var (allocated, carols) = await Guests.Compute.NovaAsync(carol, HttpMethod.Post, "/v2.1/os-floating-ips", new { pool = (string?)null });
        allocated.Should().Be(200, carols);
        var carolsIp = ComputeApiCloud.Json(carols).GetProperty("floating_ip");
        var (carolsId, carolsAddress) = (carolsIp.GetProperty("id").GetInt64(), carolsIp.GetProperty("ip").GetString()!);
        var before = await NatAsync();

        var steal = await Guests.Compute.NovaAsync(alice, HttpMethod.Post, $"/v2.1/servers/{server}/action", new { addFloatingIp = new { address = carolsAddress } });
        steal.Status.Should().Be(403, steal.Body);
        steal.Body.Should().Contain($"Address {carolsAddress} is not allocated to your project.");
        (await Guests.Compute.NovaAsync(alice, HttpMethod.Delete, $"/v2.1/os-floating-ips/{carolsId}")).Status.Should().Be(404);
        (await Guests.Compute.NovaAsync(alice, HttpMethod.Get, $"/v2.1/os-floating-ips/{carolsId}")).Body.Should().Contain($"Floating IP not found for ID {carolsId}");
        var ec2Steal = await Guests.Compute.AwsAsync("alice", "associate-address", "--instance-id", _instance, "--public-ip", carolsAddress);
        ec2Steal.ExitCode.Should().NotBe(0);
        ec2Steal.Stderr.Should().Contain("UnauthorizedOperation");
        var pool = await Guests.Compute.NovaAsync(alice, HttpMethod.Post, "/v2.1/os-floating-ips", new { pool = "nope" });
        (pool.Status, pool.Body).Should().Be((404, "{\"itemNotFound\":{\"code\":404,\"message\":\"Floating IP pool not found: nope.\"}}"));
        var twice = await Guests.Compute.NovaAsync(alice, HttpMethod.Post, $"/v2.1/servers/{server}/action", new { addFloatingIp = new { address = _auto } });
        twice.Status.Should().Be(202, "associating an address with the instance it is associated with changes nothing");
        var notMine = await Guests.Compute.NovaAsync(alice, HttpMethod.Post, $"/v2.1/servers/{server}/action", new { addFloatingIp = new { address = _auto, fixed_address = "10.0.0.250" } });
        notMine.Status.Should().Be(400, notMine.Body);

        var held = ComputeApiCloud.Json((await Guests.Compute.NovaAsync(alice, HttpMethod.Get, "/v2.1/os-floating-ips")).Body).GetProperty("floating_ips").GetArrayLength();
        await _cloud.Api.ManageAsync("project", "quota", "other", "floating_ips", $"{held}");
        await Guests.AwsAsync("allocate-address");
        var over = await Guests.Compute.AwsAsync("alice", "allocate-address");
        over.ExitCode.Should().NotBe(0, "the auto-assigned address does not count against the quota; the one allocated does");
        over.Stderr.Should().Contain("AddressLimitExceeded").And.Contain("Maximum number of floating ips exceeded");

        (await NatAsync()).Should().Equal(before, "no refused request touched the network host");
        await using var db = await Guests.Db.OpenAsync(default);
        (await db.QuerySingleAsync<string?>("SELECT fixed_address FROM floating_ips WHERE id = @Id", new { Id = carolsId })).Should().BeNull();
    }

    [Test]
    [Order(5)]
    public async Task A_network_host_killed_with_its_nat_flushed_rebuilds_it_exactly()
    {
        var before = await NatAsync();
        before.Should().ContainSingle(l => l.Contains($"-d {_auto}/32 -j DNAT --to-destination {_fixed}"))
            .And.ContainSingle(l => l.Contains($"-s {_fixed}/32 ! -d 10.0.0.1/32 -o fpub0 -j SNAT --to-source {_auto}"), "traffic to --metadata_host keeps the fixed IP");

        await _cloud.Api.RestartAsync(async () =>
        {
            await _cloud.Host.Namespace.RunAsync("/usr/sbin/iptables", "-t", "nat", "-F");
            await _cloud.Host.Namespace.RunAsync("/usr/bin/ip", "addr", "del", $"{_auto}/32", "dev", "fpub0");
            (await PingFromOutsideAsync(_auto, attempts: 1)).Should().BeFalse();
        });

        await _cloud.UntilAsync(() => PingFromOutsideAsync(_auto, attempts: 1), $"{_auto} to answer ping after the restart");
        (await NatAsync()).Should().Equal(before, "the NAT is rebuilt from the database, nothing duplicated");
    }

    [Test]
    [Order(6)]
    public async Task Terminate_releases_the_auto_assigned_address_and_only_disassociates_the_allocated_one()
    {
        var allocated = (await Guests.AwsAsync("describe-addresses", "--query", "Addresses[].PublicIp", "--output", "text"))
            .Split(['\t', '\n'], StringSplitOptions.RemoveEmptyEntries).Single(a => a != _auto);
        await Guests.AwsAsync("associate-address", "--instance-id", _instance, "--public-ip", allocated);

        await Guests.AwsAsync("terminate-instances", "--instance-ids", _instance);
        await Guests.StateIsAsync(_instance, "terminated");

        var rows = (await _cloud.Api.ManageAsync("floating", "list")).Split('\n', StringSplitOptions.RemoveEmptyEntries);
        rows.Should().Contain(l => l.StartsWith($"None\t{_auto}\tNone\t", StringComparison.Ordinal), "the auto-assigned address went back to the pool");
        rows.Should().Contain(l => Regex.IsMatch(l, $@"^[0-9a-f]+\t{Regex.Escape(allocated)}\tNone\t"), "the allocated one stays the project's, disassociated");
        (await NatAsync()).Should().NotContain(l => (l.Contains("-j DNAT") && !l.Contains("169.254.169.254")) || l.Contains("-j SNAT"));
        (await PingFromOutsideAsync(allocated, attempts: 1)).Should().BeFalse();
    }

    /// <summary>The outside httpd's site: <c>/cgi-bin/whoami</c> answers <c>from CLIENT_ADDRESS</c>.</summary>
    private static async Task<string> WhoAmISiteAsync(string parent)
    {
        var www = Path.Combine(parent, "www");
        Directory.CreateDirectory(Path.Combine(www, "cgi-bin"));
        var whoami = Path.Combine(www, "cgi-bin", "whoami");
        await File.WriteAllTextAsync(whoami, "#!/bin/sh\nprintf 'Content-Type: text/plain\\r\\n\\r\\n'\necho \"from $REMOTE_ADDR\"\n");
        if (!OperatingSystem.IsWindows())
        {
            File.SetUnixFileMode(whoami, (UnixFileMode)0b111_101_101);
        }
        return www;
    }

    private async Task<bool> PingFromOutsideAsync(string address, int attempts = 3)
    {
        for (var i = 0; i < attempts; i++)
        {
            if ((await _outside.ExecAsync("/bin/busybox", ["ping", "-c", "1", "-W", "2", address], TimeSpan.FromSeconds(10))).ExitCode == 0)
            {
                return true;
            }
        }
        return false;
    }

    /// <summary>The page at the address from outside; empty when nothing answers within 5 s (this busybox wget has no -T).</summary>
    private async Task<string> HttpFromOutsideAsync(string address) =>
        (await _outside.ExecAsync("/usr/bin/timeout", ["5", "/bin/busybox", "wget", "-q", "-O", "-", $"http://{address}/"], TimeSpan.FromSeconds(15))).Stdout.Trim();

    /// <summary>The host's nat table as iptables-save prints it, without comments and counters.</summary>
    private async Task<List<string>> NatAsync() =>
        [.. (await _cloud.Host.Namespace.RunAsync("/usr/sbin/iptables-save", "-t", "nat"))
            .Split('\n', StringSplitOptions.RemoveEmptyEntries)
            .Where(l => !l.StartsWith('#'))
            .Select(l => Regex.Replace(l, @"\s\[\d+:\d+\]$", ""))];
}
