using Cloud.Modules.Compute;
using Cloud.Modules.Compute.Drivers.Fake;
using Cloud.Modules.Kernel;
using Cloud.Modules.Kernel.Host;
using Cloud.Modules.Kernel.Service;
using Cloud.Modules.Network;
using Cloud.Modules.Network.Db;
using Cloud.Modules.Network.Drivers;
using Cloud.Tests.Support;
using FluentAssertions;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using NUnit.Framework;

namespace Cloud.Tests.Integration;

/// <summary>
/// The FlatDHCP network role with real host changes, all inside network namespaces this test creates: the role's
/// <see cref="LinuxNetDriver"/> runs every command through <c>--root_helper=ip netns exec cloudd-network-1</c>, so the
/// bridge, dnsmasq and NAT rules live in that namespace. A compute host (fake hypervisor, real network calls over the
/// bus) boots instances; a "guest" is a veth in cloudd-network-2 with the instance's MAC, asking with busybox udhcpc.
/// </summary>
[Category("Integration")]
[NonParallelizable]
public sealed class FlatDhcpNetworkTests
{
    private const string HostNs = "cloudd-network-1";
    private const string GuestNs = "cloudd-network-2";
    private const string Bridge = "brnet0";

    private SqliteHarness _db = null!;
    private TempDir _dir = null!;
    private ComputeTestCloud _cloud = null!;
    private FlatDhcpManager _network = null!;
    private LinuxNetDriver _driver = null!;
    private RecordingComputeDriver _hypervisor = null!;
    private readonly List<IAsyncDisposable> _serving = [];

    private string NetworksDir => Path.Combine(_dir.Path, "networks");

    [SetUp]
    public async Task StartAsync()
    {
        NetnsTools.RequireRootAndTools();
        NetnsTools.Create(HostNs);
        NetnsTools.Create(GuestNs);
        _dir = new TempDir();
        // dnsmasq drops to nobody and re-reads its hosts file on SIGHUP, so the state path must be readable.
        NetnsTools.Run("chmod", "755", _dir.Path);
        _db = new SqliteHarness();
        _cloud = await ComputeTestCloud.StartAsync(_db.Db);
        await _cloud.Flavors.CreateAsync(_cloud.Admin, "m1.nano", 64, 1, 0, null, default);
    }

    [TearDown]
    public async Task StopAsync()
    {
        // dnsmasq first: it must not outlive the test, whatever else fails below.
        if (_network is not null)
        {
            await _network.StopAsync(default);
        }
        _driver?.Dispose();
        try
        {
            foreach (var s in _serving)
            {
                await s.DisposeAsync();
            }
            _serving.Clear();
            if (_cloud is not null)
            {
                await _cloud.DisposeAsync();
            }
        }
        finally
        {
            NetnsTools.Delete(GuestNs);
            NetnsTools.Delete(HostNs);
            if (_db is not null)
            {
                await _db.DisposeAsync();
            }
            _dir?.Dispose();
        }
    }

    [Test]
    public async Task A_guest_gets_its_allocated_address_by_dhcp_and_terminate_takes_the_entry_and_the_lease_away()
    {
        await CreateNetworkAsync("10.77.0.0/24", dhcpStart: "10.77.0.10");
        await StartRolesAsync();
        var pid = _driver.DnsmasqPid(Bridge);
        pid.Should().NotBeNull("the network role starts dnsmasq for the network it claimed");
        NetnsTools.Run("ip", "netns", "exec", HostNs, "ip", "-o", "-4", "addr", "show", "dev", Bridge).Should().Contain("inet 10.77.0.1/24");
        NetnsTools.Run("ip", "netns", "exec", HostNs, "iptables", "-t", "nat", "-S", LinuxNetDriver.PreroutingChain)
            .Should().Contain("-A cloudd-PREROUTING -d 169.254.169.254/32 -p tcp -m tcp --dport 80 -j DNAT --to-destination 10.77.0.1:8775");
        NetnsTools.Run("ip", "netns", "exec", HostNs, "iptables", "-t", "nat", "-S", "PREROUTING").Should().Contain("-A PREROUTING -j cloudd-PREROUTING");

        var instance = await BootAsync("Web Server");
        instance.VmState.Should().Be(VmStates.Active);
        var nic = _hypervisor.Spawned.Single().Network!;
        (nic.Address, nic.Bridge, nic.Gateway, nic.Netmask).Should().Be(("10.77.0.10", Bridge, "10.77.0.1", "255.255.255.0"));
        nic.Mac.Should().StartWith("52:54:00:");
        (await new NetworkRpcClient(_cloud.Bus).GetInstanceNetworkAsync(_cloud.Alice, instance.Uuid, default)).Should().Be(nic);
        File.ReadAllText(Path.Combine(NetworksDir, $"{Bridge}.hosts")).Should().Be($"{nic.Mac},web-server,10.77.0.10\n");

        NetnsTools.Run("kill", "-9", pid!.Value.ToString(System.Globalization.CultureInfo.InvariantCulture));
        await Poller.UntilAsync(() => _driver.DnsmasqPid(Bridge) is { } p && p != pid && Running(p), TimeSpan.FromSeconds(30), "the role to restart a dnsmasq that died");
        pid = _driver.DnsmasqPid(Bridge);

        var lease = RequestLease(nic.Mac);
        lease.Should().Contain("bound ip=10.77.0.10 mask=255.255.255.0 router=10.77.0.1 hostname=web-server domain=novalocal");
        File.ReadAllText(Path.Combine(NetworksDir, $"{Bridge}.leases")).Should().Contain($"{nic.Mac} 10.77.0.10 web-server");

        await _cloud.Compute.TerminateAsync(_cloud.Alice, instance.Uuid, default);
        await Poller.UntilAsync(() => !File.ReadAllText(Path.Combine(NetworksDir, $"{Bridge}.leases")).Contains(nic.Mac, StringComparison.Ordinal),
            TimeSpan.FromSeconds(30), "dhcp_release to end the lease");
        File.ReadAllText(Path.Combine(NetworksDir, $"{Bridge}.hosts")).Should().BeEmpty();
        (await new NetworkStore(_db.Db, TimeProvider.System).OfInstanceAsync(instance.Uuid, default)).Should().BeNull();
        _driver.DnsmasqPid(Bridge).Should().Be(pid, "a hosts change HUPs dnsmasq; it is not restarted");

        await _driver.RemoveNatAsync(default);
        NetnsTools.TryRun("ip", "netns", "exec", HostNs, "iptables", "-t", "nat", "-S", LinuxNetDriver.PreroutingChain).Code.Should().NotBe(0);
        NetnsTools.Run("ip", "netns", "exec", HostNs, "iptables", "-t", "nat", "-S", "PREROUTING").Should().NotContain("cloudd");
    }

    [Test]
    public async Task Dnsmasq_reports_the_lease_through_cloudd_dhcpbridge_and_the_address_of_a_terminated_instance_returns_when_the_lease_is_released()
    {
        await CreateNetworkAsync("10.77.0.0/24", dhcpStart: "10.77.0.10");
        await StartRolesAsync();
        var fixedIps = new FixedIpStore(_db.Db, TimeProvider.System);
        var instance = await BootAsync("leaser");
        var nic = _hypervisor.Spawned.Single().Network!;

        RequestLease(nic.Mac).Should().Contain("bound ip=10.77.0.10");
        await Poller.UntilAsync(async () => (await fixedIps.FindAsync(nic.Address, default))!.Leased, TimeSpan.FromSeconds(30), "dnsmasq's 'add' callback to mark the address leased");
        (await fixedIps.FindAsync(nic.Address, default)).Should().BeEquivalentTo(new { InstanceUuid = instance.Uuid, MacAddress = nic.Mac, Allocated = true, Leased = true });

        await _cloud.Compute.TerminateAsync(_cloud.Alice, instance.Uuid, default);
        await Poller.UntilAsync(async () => (await fixedIps.FindAsync(nic.Address, default)) is { InstanceUuid: null, Leased: false },
            TimeSpan.FromSeconds(30), "dhcp_release's 'del' callback to return the address to the pool");

        (await BootAsync("next")).VmState.Should().Be(VmStates.Active);
        _hypervisor.Spawned.Last().Network!.Address.Should().Be("10.77.0.10", "the released address is the first free one again");
    }

    [Test]
    public async Task A_restarted_network_role_rebuilds_what_was_flushed_duplicates_nothing_and_removes_a_deleted_networks_bridge_and_dnsmasq()
    {
        await CreateNetworkAsync("10.77.0.0/24", dhcpStart: "10.77.0.10");
        await CreateNetworkAsync("10.77.1.0/24", dhcpStart: "10.77.1.10", bridge: "brnet1");
        NetnsTools.Run("ip", "netns", "exec", HostNs, "ip", "link", "add", "ext-cloudd", "type", "veth", "peer", "name", "ext-cloudd-p");
        await StartRolesAsync();
        var before = HostState();
        var doomedDnsmasq = _driver.DnsmasqPid("brnet1")!.Value;

        // The role dies; an operator flushes cloudd's chains, strips a gateway address and doubles a jump and a rule.
        await _network.StopAsync(default);
        NetnsTools.Run("ip", "netns", "exec", HostNs, "iptables", "-t", "nat", "-F", LinuxNetDriver.PostroutingChain);
        NetnsTools.Run("ip", "netns", "exec", HostNs, "ip", "addr", "flush", "dev", Bridge);
        NetnsTools.Run("ip", "netns", "exec", HostNs, "iptables", "-t", "nat", "-A", "PREROUTING", "-j", LinuxNetDriver.PreroutingChain);
        var metadataRule = NetnsTools.Run("ip", "netns", "exec", HostNs, "iptables", "-t", "nat", "-S", LinuxNetDriver.PreroutingChain)
            .Split('\n').First(l => l.StartsWith("-A ", StringComparison.Ordinal));
        NetnsTools.Run("sh", "-c", $"ip netns exec {HostNs} iptables -t nat {metadataRule}");
        await StartNetworkRoleAsync();

        HostState().Should().Be(before, "everything is rebuilt from the database, once");
        await _network.StopAsync(default);
        await StartNetworkRoleAsync();
        HostState().Should().Be(before, "a second restart changes nothing");

        await _network.StopAsync(default);
        await new NetworkStore(_db.Db, TimeProvider.System).DeleteAsync("10.77.1.0/24", default);
        NetnsTools.Run("ip", "netns", "exec", HostNs, "ip", "link", "set", "brnet1", "up");
        await StartNetworkRoleAsync();

        NetnsTools.TryRun("ip", "netns", "exec", HostNs, "ip", "link", "show", "dev", "brnet1").Code.Should().NotBe(0, "the deleted network's bridge is removed");
        Running(doomedDnsmasq).Should().BeFalse();
        Directory.GetFiles(NetworksDir, "brnet1.*").Should().BeEmpty();
        HostState().Should().NotContain("brnet1").And.NotContain("10.77.1.1");
        _driver.DnsmasqPid(Bridge).Should().NotBeNull("the remaining network keeps its dnsmasq");
    }

    /// <summary>The namespace's nat table (without counters) and IPv4 addresses, as a restart must leave them.</summary>
    private static string HostState()
    {
        var nat = NetnsTools.Run("ip", "netns", "exec", HostNs, "iptables-save", "-t", "nat").Split('\n')
            .Where(l => !l.StartsWith('#') && !l.StartsWith(':'));
        var addresses = NetnsTools.Run("ip", "netns", "exec", HostNs, "ip", "-o", "-4", "addr", "show").Split('\n')
            .Select(l => string.Join(' ', l.Split(' ', StringSplitOptions.RemoveEmptyEntries).Skip(1).Take(3)));
        return string.Join('\n', nat.Concat(addresses));
    }

    [Test]
    public async Task A_failed_spawn_puts_the_instance_in_error_and_gives_its_address_back()
    {
        await CreateNetworkAsync("10.77.0.0/24", dhcpStart: "10.77.0.10");
        await StartRolesAsync();
        _hypervisor.FailSpawnWith = "libvirt: internal error: no kernel";

        var instance = await BootAsync("doomed");

        (instance.VmState, instance.FaultMessage).Should().Be((VmStates.Error, "libvirt: internal error: no kernel"));
        _hypervisor.Spawned.Single().Network!.Address.Should().Be("10.77.0.10");
        (await new NetworkStore(_db.Db, TimeProvider.System).OfInstanceAsync(instance.Uuid, default)).Should().BeNull();
        File.ReadAllText(Path.Combine(NetworksDir, $"{Bridge}.hosts")).Should().BeEmpty();
    }

    [Test]
    public async Task Without_networks_an_instance_fails_with_a_fault_that_says_how_to_create_one()
    {
        await StartRolesAsync();

        var instance = await BootAsync("lonely");

        instance.VmState.Should().Be(VmStates.Error);
        instance.FaultMessage.Should().StartWith("No networks defined: create one with 'cloudd manage network create LABEL CIDR NUM SIZE'");
        _hypervisor.Spawned.Should().BeEmpty();
    }

    [Test]
    public async Task The_periodic_task_frees_the_address_of_an_instance_whose_compute_host_died_mid_boot()
    {
        await CreateNetworkAsync("10.77.0.0/24", dhcpStart: "10.77.0.10");
        await StartRolesAsync();
        var instance = await BootAsync("survivor");
        var held = await new NetworkStore(_db.Db, TimeProvider.System).OfInstanceAsync(instance.Uuid, default);

        // What a compute host killed mid-boot leaves: an allocated address and, once noticed, an instance in ERROR that never launched.
        var booting = (await _cloud.Compute.CreateAsync(_cloud.Alice, new CreateInstancesRequest("ami-image", "m1.nano") { DisplayName = "lost" }, default)).Single();
        await new NetworkRpcClient(_cloud.Bus).AllocateForInstanceAsync(_cloud.Alice, booting.Uuid, "c1", default);
        await _cloud.Store.SetFaultAsync([booting.Uuid], "compute host c1 died", default);
        await _network.RunPeriodicTasksAsync(default);

        var store = new NetworkStore(_db.Db, TimeProvider.System);
        (await store.OfInstanceAsync(booting.Uuid, default)).Should().BeNull();
        (await store.OfInstanceAsync(instance.Uuid, default))!.Address.Should().Be(held!.Address, "a running instance keeps its address");
        File.ReadAllLines(Path.Combine(NetworksDir, $"{Bridge}.hosts")).Should().Equal($"{held.MacAddress},survivor,{held.Address}");
    }

    [Test]
    public async Task A_network_role_that_does_not_serve_the_network_has_its_host_rewrite_the_dhcp_hosts()
    {
        await CreateNetworkAsync("10.77.0.0/24", dhcpStart: "10.77.0.10");
        await StartRolesAsync();
        var otherCommon = Options.Create(new CommonFlags { Host = "net2", StatePath = Path.Combine(_dir.Path, "net2") });
        using var otherDriver = new LinuxNetDriver(new CommandRunner(["ip", "netns", "exec", HostNs], NullLogger<CommandRunner>.Instance), NullLogger<LinuxNetDriver>.Instance);
        var other = new FlatDhcpManager(new NetworkStore(_db.Db, TimeProvider.System), new InstanceDirectory(_cloud.Store), otherDriver, new NetworkRpcClient(_cloud.Bus),
            FloatingIpHosts.For(_db.Db, _cloud.Bus, _cloud.Identity, new CommandRunner(["ip", "netns", "exec", HostNs], NullLogger<CommandRunner>.Instance), Options.Create(new NetworkFlags()), otherCommon),
            Options.Create(new NetworkFlags()), Options.Create(new MetadataFlags()), otherCommon, NullLogger<FlatDhcpManager>.Instance,
            new FixedIpStore(_db.Db, TimeProvider.System), new StaleNetworkRemover(otherDriver, new CommandRunner(["ip", "netns", "exec", HostNs], NullLogger<CommandRunner>.Instance), NullLogger<StaleNetworkRemover>.Instance));
        await other.StartAsync(default);
        // Booted (allocated through net1) before net2 is asked, so no allocation of the boot races the deallocation below.
        var instance = await BootAsync("elsewhere");

        var reply = (InstanceNetworkReply)(await other.DispatchAsync(_cloud.Alice, new AllocateForInstance(instance.Uuid, "c1"), default))!;
        await other.DispatchAsync(_cloud.Alice, new DeallocateForInstance(instance.Uuid), default);

        reply.Network!.Address.Should().Be("10.77.0.10");
        otherDriver.DnsmasqPid(Bridge).Should().BeNull("net2 serves no network; net1 (over network.net1) rewrote its hosts file");
        File.ReadAllText(Path.Combine(NetworksDir, $"{Bridge}.hosts")).Should().BeEmpty();
        var log = await File.ReadAllTextAsync(Path.Combine(NetworksDir, $"{Bridge}.log"));
        log.Should().Contain("read " + Path.Combine(NetworksDir, $"{Bridge}.hosts"), "dnsmasq re-read the hosts file on each HUP");
        await other.StopAsync(default);
    }

    [Test]
    public async Task The_network_role_process_sets_up_its_networks_on_start_and_stops_dnsmasq_on_sigterm()
    {
        string[] flags = [$"--state_path={_dir.Path}", $"--sql_connection={_db.SqlConnection}", $"--root_helper=ip netns exec {HostNs}", "--host=net9", "--metadata_port=8999", "--my_ip=127.0.0.1",
            "--public_interface=ext-cloudd", "--fixed_range=10.78.0.0/16"];
        NetnsTools.Run("ip", "netns", "exec", HostNs, "ip", "link", "add", "ext-cloudd", "type", "veth", "peer", "name", "ext-cloudd-p");
        (await CloudProcess.RunAsync(["manage", "network", "create", "private", "10.78.0.0/24", "1", "256", $"--bridge={Bridge}", .. flags])).ExitCode.Should().Be(0);
        var pidFile = Path.Combine(NetworksDir, $"{Bridge}.pid");

        await using var role = CloudProcess.Start(["--roles=network", .. flags]);
        await Poller.UntilAsync(() => File.Exists(pidFile) && File.ReadAllText(pidFile).Trim().Length > 0, TimeSpan.FromSeconds(60), "dnsmasq's pid file");
        var pid = int.Parse(File.ReadAllText(pidFile).Trim(), System.Globalization.CultureInfo.InvariantCulture);

        Running(pid).Should().BeTrue();
        NetnsTools.Run("ip", "netns", "exec", HostNs, "ip", "-o", "-4", "addr", "show", "dev", Bridge).Should().Contain("inet 10.78.0.1/24");
        NetnsTools.Run("ip", "netns", "exec", HostNs, "iptables", "-t", "nat", "-S", LinuxNetDriver.PreroutingChain)
            .Should().Contain("--to-destination 10.78.0.1:8999", "a loopback --metadata_host ($my_ip) cannot be reached by guests, so the gateway is used");
        NetnsTools.Run("ip", "netns", "exec", HostNs, "sysctl", "-n", "net.ipv4.ip_forward").Trim().Should().Be("1");
        NetnsTools.Run("ip", "netns", "exec", HostNs, "iptables", "-t", "nat", "-S", LinuxNetDriver.PostroutingChain).Split('\n').Where(l => l.StartsWith("-A ", StringComparison.Ordinal))
            .Should().Equal(
                ["-A cloudd-POSTROUTING -s 10.78.0.0/16 -d 10.78.0.1/32 -j ACCEPT",
                 "-A cloudd-POSTROUTING -s 10.78.0.0/16 -d 10.78.0.0/16 -m conntrack ! --ctstate DNAT -j ACCEPT",
                 "-A cloudd-POSTROUTING -s 10.78.0.0/16 -o ext-cloudd -j MASQUERADE"],
                "guests' metadata traffic (and traffic among guests) keeps its source address: accepted before the MASQUERADE");
        NetnsTools.Run("ip", "netns", "exec", HostNs, "iptables", "-t", "nat", "-S", "POSTROUTING").Should().Contain("-A POSTROUTING -j cloudd-POSTROUTING");
        (await new NetworkStore(_db.Db, TimeProvider.System).ListAsync(default)).Single().Host.Should().Be("net9", "the role claimed the network nobody served");
        role.Terminate();
        (await role.WaitForExitAsync(TimeSpan.FromSeconds(30))).Should().Be(0);
        await Poller.UntilAsync(() => !Running(pid), TimeSpan.FromSeconds(10), "dnsmasq to stop with the role");
    }

    /// <summary>True while the process exists and is not a zombie.</summary>
    private static bool Running(int pid)
    {
        try
        {
            var stat = File.ReadAllText($"/proc/{pid}/stat");
            return stat[(stat.LastIndexOf(')') + 2)] != 'Z';
        }
        catch (IOException)
        {
            return false;
        }
    }

    private async Task CreateNetworkAsync(string cidr, string dhcpStart, string bridge = Bridge) =>
        await new NetworkApi(new NetworkStore(_db.Db, TimeProvider.System), Options.Create(new NetworkFlags { FlatNetworkDhcpStart = dhcpStart }))
            .CreateAsync("private", cidr, 1, 256, bridge, null, null, default);

    /// <summary>The network role on host net1 and a compute host c1, both acting inside <see cref="HostNs"/>.</summary>
    private async Task StartRolesAsync()
    {
        var flags = await StartNetworkRoleAsync();
        _serving.Add(await _cloud.Bus.ServeAsync(NetworkRpcClient.Topic, "net1", _network, default));

        var computeCommon = Options.Create(new CommonFlags { Host = "c1" });
        var computeDriver = new LinuxNetDriver(new CommandRunner(["ip", "netns", "exec", HostNs], NullLogger<CommandRunner>.Instance), NullLogger<LinuxNetDriver>.Instance);
        _hypervisor = new RecordingComputeDriver(new FakeComputeDriver(new FakeDriverFlags()));
        var compute = new ComputeManager(_hypervisor, _cloud.Store, _cloud.Nodes, computeCommon, NullLogger<ComputeManager>.Instance,
            new InstanceNetworkingApi(new NetworkRpcClient(_cloud.Bus), computeDriver, flags, computeCommon));
        _serving.Add(await _cloud.Bus.ServeAsync(ComputeRpcClient.Topic, "c1", compute, default));
        await new ServiceGroup(_db.Db, computeCommon, _cloud.Clock).ReportAsync(ServiceGroup.BinaryOf("compute"), "c1", ComputeRpcClient.Topic, "nova", default);
        await compute.ReportStateAsync(default);
    }

    /// <summary>
    /// The network role on host net1 (again, after a restart), acting inside <see cref="HostNs"/>, with dnsmasq's lease
    /// script being the cloudd built beside the tests (its dhcpbridge command) on this test's database.
    /// </summary>
    private async Task<IOptions<NetworkFlags>> StartNetworkRoleAsync()
    {
        var flagFile = Path.Combine(_dir.Path, "dhcpbridge.conf");
        File.WriteAllText(flagFile, $"--sql_connection={_db.SqlConnection}\n--state_path={_dir.Path}\n");
        var script = Path.Combine(_dir.Path, "test-dhcpbridge");
        File.WriteAllText(script, DhcpBridgeScript.Wrapper(["dotnet", CloudProcess.Dll]));
        NetnsTools.Run("chmod", "755", script);
        var flags = Options.Create(new NetworkFlags { FixedRange = "10.77.0.0/16", PublicInterface = "ext-cloudd", DhcpBridge = script, DhcpBridgeFlagFile = flagFile });
        var run = new CommandRunner(["ip", "netns", "exec", HostNs], NullLogger<CommandRunner>.Instance);
        _driver = new LinuxNetDriver(run, NullLogger<LinuxNetDriver>.Instance);
        var networkCommon = Options.Create(new CommonFlags { Host = "net1", StatePath = _dir.Path });
        _network = new FlatDhcpManager(new NetworkStore(_db.Db, TimeProvider.System), new InstanceDirectory(_cloud.Store), _driver, new NetworkRpcClient(_cloud.Bus),
            FloatingIpHosts.For(_db.Db, _cloud.Bus, _cloud.Identity, run, flags, networkCommon), flags, Options.Create(new MetadataFlags()), networkCommon, NullLogger<FlatDhcpManager>.Instance,
            new FixedIpStore(_db.Db, TimeProvider.System), new StaleNetworkRemover(_driver, run, NullLogger<StaleNetworkRemover>.Instance));
        await _network.StartAsync(default);
        return flags;
    }

    private async Task<Instance> BootAsync(string name)
    {
        var created = await _cloud.Compute.CreateAsync(_cloud.Alice, new CreateInstancesRequest("ami-image", "m1.nano") { DisplayName = name }, default);
        return (await _cloud.SettledAsync(_cloud.Alice, created)).Single();
    }

    /// <summary>A guest NIC with <paramref name="mac"/> on the bridge asks for a lease; returns what udhcpc's script saw.</summary>
    private string RequestLease(string mac)
    {
        NetnsTools.Run("ip", "netns", "exec", HostNs, "ip", "link", "add", "vnet-h", "type", "veth", "peer", "name", "vnet-g");
        NetnsTools.Run("ip", "netns", "exec", HostNs, "ip", "link", "set", "vnet-g", "netns", GuestNs);
        NetnsTools.Run("ip", "netns", "exec", HostNs, "ip", "link", "set", "vnet-h", "master", Bridge, "up");
        NetnsTools.Run("ip", "netns", "exec", GuestNs, "ip", "link", "set", "vnet-g", "address", mac, "up");
        var output = Path.Combine(_dir.Path, "udhcpc.out");
        var script = Path.Combine(_dir.Path, "udhcpc.sh");
        File.WriteAllText(script, $"#!/bin/sh\necho \"$1 ip=$ip mask=$subnet router=$router hostname=$hostname domain=$domain\" >> {output}\n");
        NetnsTools.Run("chmod", "755", script);
        NetnsTools.Run("ip", "netns", "exec", GuestNs, "/usr/bin/busybox", "udhcpc", "-i", "vnet-g", "-f", "-q", "-n", "-t", "10", "-T", "1", "-O", "hostname", "-O", "domain", "-s", script);
        return File.ReadAllText(output);
    }
}
