using Cloud.Tests.Support;
using Dapper;
using FluentAssertions;
using NUnit.Framework;

namespace Cloud.Tests.Integration;

/// <summary>
/// VlanManager over VXLAN, as the seed's multi-host layout runs it: the controller roles (api, scheduler, network,
/// glance) in one namespace, two compute hosts in theirs, and an underlay of veths on a controller bridge (each host's
/// --my_ip). No network is created beforehand: each project gets one on demand, a bridge and dnsmasq on the controller,
/// the bridge and VXLAN link on each compute host running its instances. alice's (project other) instances on both
/// hosts reach each other; berendt's (project testing), beside hers on one host, is reached by neither.
/// </summary>
[TestFixture]
[Category("Integration")]
[NonParallelizable]
public sealed class VlanNetworkTests
{
    private const string Underlay = "192.168.77";
    private const string ControllerIp = $"{Underlay}.1";

    /// <summary>Three TCG guests on a shared two-core machine can take a while.</summary>
    private static readonly TimeSpan Slow = TimeSpan.FromMinutes(8);

    private readonly List<IAsyncDisposable> _teardown = [];
    private readonly List<CloudProcess> _computes = [];
    private readonly Dictionary<string, VirtHost> _hosts = [];
    private ComputeApiCloud _cloud = null!;
    private MySqlHarness _db = null!;
    private NetworkNamespace _controller = null!;
    private TestImageCloud _guests = null!;

    [OneTimeSetUp]
    public async Task StartAsync()
    {
        TestEnv.RequireRoot();
        _db = new MySqlHarness();
        var amqp = TestEnv.AmqpFlags();
        var dbPort = new Uri(TestEnv.MySqlServer).Port;
        var sockets = new TempDir();
        _teardown.Add(new DisposeDirectory(sockets));
        _controller = await NetworkNamespace.CreateAsync("vlanctl");
        _teardown.Add(_controller);
        foreach (var port in new[] { dbPort, TestEnv.Amqp.Port })
        {
            _teardown.Add(await PortBridge.ImportAsync(_controller, port, sockets.Path));
        }
        // The underlay: a switch in the controller; its MTU leaves room for VXLAN's 50 bytes under the guests' 1500.
        await _controller.RunAsync("/usr/bin/ip", "link", "add", "vlul0", "type", "bridge");
        await _controller.RunAsync("/usr/bin/ip", "addr", "add", $"{ControllerIp}/24", "dev", "vlul0");
        await _controller.RunAsync("/usr/bin/ip", "link", "set", "vlul0", "up");

        string[] vlan = ["--network_manager=nova.network.manager.VlanManager", "--vlan_driver=vxlan", "--report_interval=1", "--periodic_interval=1", "--service_down_time=10"];
        var api = await ApiCloud.StartInAsync(_controller, new Dictionary<string, string>(), _db.SqlConnection, "api,scheduler,network,glance", null,
        [
            .. amqp, .. vlan, "--vlan_interface=vlul0", $"--my_ip={ControllerIp}", "--fixed_range=10.60.0.0/16", "--num_networks=4", "--network_size=256",
            "--vlan_start=600", $"--metadata_host={ControllerIp}", "--metadata_listen=0.0.0.0", "--metadata_port=8775", "--host=controller",
        ]);
        _cloud = await ComputeApiCloud.AroundAsync(api);
        var glancePort = new Uri(api.GlanceUrl).Port;
        var keystonePort = new Uri(api.KeystoneUrl).Port;

        foreach (var (name, zone, address) in new[] { ("vlcmp1", "zone1", $"{Underlay}.11"), ("vlcmp2", "zone2", $"{Underlay}.12") })
        {
            var host = await VirtHost.StartAsync(name);
            _teardown.Add(host);
            _hosts[zone] = host;
            foreach (var port in new[] { dbPort, TestEnv.Amqp.Port, glancePort, keystonePort })
            {
                _teardown.Add(await PortBridge.ImportAsync(host.Namespace, port, sockets.Path));
            }
            await _controller.RunAsync("/usr/bin/ip", "link", "add", $"u{name}", "mtu", "1600", "type", "veth", "peer", "name", "ul0", "mtu", "1600", "netns", host.Namespace.Name);
            await _controller.RunAsync("/usr/bin/ip", "link", "set", $"u{name}", "master", "vlul0", "up");
            await host.Namespace.RunAsync("/usr/bin/ip", "addr", "add", $"{address}/24", "dev", "ul0");
            await host.Namespace.RunAsync("/usr/bin/ip", "link", "set", "ul0", "up");
            var state = new TempDir().Traversable();
            _teardown.Add(new DisposeDirectory(state));
            _computes.Add(CloudProcess.StartIn(host.Namespace,
            [
                "--roles=compute", $"--state_path={state.Path}", $"--logdir={state.Path}/log", $"--sql_connection={_db.SqlConnection}", .. amqp, .. vlan,
                "--vlan_interface=ul0", $"--my_ip={address}", "--compute_driver=libvirt", "--libvirt_type=qemu", $"--glance_api_servers=127.0.0.1:{glancePort}",
                $"--host={name}", $"--node_availability_zone={zone}", $"--image_reader_auth_url={api.KeystoneUrl}/v3",
                $"--image_reader_password={ApiCloud.ImageReaderPassword}",
            ], host.Environment));
        }
        await Poller.UntilAsync(async () =>
        {
            await using var c = await _db.Db.OpenAsync(default);
            return (await c.QueryAsync<string>("SELECT host FROM compute_nodes")).Count() == 2;
        }, TimeSpan.FromSeconds(90), "both compute hosts to report");
        _guests = new TestImageCloud(_cloud);
        await _guests.UploadAsync();
    }

    [OneTimeTearDown]
    public async Task StopAsync()
    {
        foreach (var compute in _computes)
        {
            await compute.DisposeAsync();
        }
        if (_cloud is not null)
        {
            await _cloud.DisposeAsync();
        }
        foreach (var item in Enumerable.Reverse(_teardown))
        {
            await item.DisposeAsync();
        }
        if (_db is not null)
        {
            await _db.DisposeAsync();
        }
    }

    [Test]
    public async Task Each_project_gets_its_own_vlan_network_its_instances_reach_each_other_across_hosts_and_not_another_projects()
    {
        var alice1 = (await _guests.RunAsync("--placement", "AvailabilityZone=zone1")).Single();
        var alice2 = (await _guests.RunAsync("--placement", "AvailabilityZone=zone2")).Single();
        var berendtUuid = await _guests.OpenstackAsync("berendt", "server", "create", "--image", _guests.MachineImageId, "--flavor", "m1.tiny",
            "--availability-zone", "zone1", "-f", "value", "-c", "id", "theirs");
        var berendt = await _guests.Ec2IdOfAsync(berendtUuid);
        var addresses = new Dictionary<string, string>();
        foreach (var id in new[] { alice1, alice2 })
        {
            await _guests.StateIsAsync(id, "running", Slow);
            addresses[id] = (await _guests.ConsoleShowsAsync(id, @"TINYVM: READY ip=(\S+)", Slow)).Groups[1].Value;
        }
        var ready = new System.Text.RegularExpressions.Regex(@"TINYVM: READY ip=(\S+)");
        var console = new ToolRun(0, "", "");
        try
        {
            await Poller.UntilAsync(async () => ready.IsMatch((console = await _cloud.OpenstackAsync("berendt", "console", "log", "show", berendtUuid)).Stdout),
                Slow, "berendt's instance to be ready");
        }
        catch (TimeoutException e)
        {
            throw new TimeoutException($"{e.Message}: {await _cloud.OpenstackAsync("berendt", "server", "show", berendtUuid)}; console: {console}", e);
        }
        addresses[berendt] = ready.Match((await _cloud.OpenstackAsync("berendt", "console", "log", "show", berendtUuid)).Stdout).Groups[1].Value;

        var networks = new Dictionary<string, (string Project, string Cidr, int Vlan)>();
        foreach (var id in addresses.Keys)
        {
            await using var c = await _db.Db.OpenAsync(default);
            networks[id] = await c.QuerySingleAsync<(string, string, int)>(
                "SELECT n.project_id, n.cidr, n.vlan FROM fixed_ips f JOIN networks n ON n.id = f.network_id JOIN instances i ON i.uuid = f.instance_uuid "
                + "WHERE f.allocated = 1 AND f.instance_uuid = @Uuid AND i.project_id = n.project_id", new { Uuid = await _guests.UuidOfAsync(id) });
        }
        networks[alice1].Should().Be(networks[alice2], "alice's instances share her project's network");
        networks[berendt].Vlan.Should().NotBe(networks[alice1].Vlan);
        new[] { networks[alice1].Vlan, networks[berendt].Vlan }.Should().BeSubsetOf([600, 601, 602, 603]);
        var list = await _cloud.Cloud.ManageAsync("network", "list");
        list.Should().Contain($"\t{networks[alice1].Vlan}").And.Contain($"\t{networks[berendt].Vlan}");
        _cloud.Cloud.Logs.Should().Contain("VlanManager links are vxlan (--vlan_driver)");

        var fdb = await _hosts["zone1"].Namespace.RunAsync("/usr/sbin/bridge", "fdb", "show", "dev", $"vx{networks[alice1].Vlan}");
        fdb.Should().Contain($"dst {ControllerIp}").And.Contain($"dst {Underlay}.12");

        foreach (var id in new[] { alice1, alice2 })
        {
            (await _guests.ConsoleShowsAsync(id, @"TINYVM: meta public-keys=(\S+)")).Groups[1].Value.Should().Be("ssh-rsa", "the metadata service answers across the VXLAN");
        }
        var (a1, a2, b) = (addresses[alice1], addresses[alice2], addresses[berendt]);
        (await GuestAsync(a2, $"ping -c 1 -W 5 {a1}")).ExitCode.Should().Be(0, "alice's instances reach each other across hosts");
        (await GuestAsync(a2, $"timeout 10 wget -q -O - http://{a1}/")).Stdout.Should().Contain($"ip={a1}");
        (await GuestAsync(a2, $"ping -c 1 -W 3 {b}")).ExitCode.Should().NotBe(0, "berendt's instance is in another project");
        (await GuestAsync(a2, $"timeout 5 wget -q -O - http://{b}/")).ExitCode.Should().NotBe(0);
        (await GuestAsync(a1, $"timeout 5 wget -q -O - http://{b}/")).ExitCode.Should().NotBe(0, "not even from beside it on the same host");
    }

    /// <summary>Runs a command on alice's guest over ssh with her key, from the controller (which routes to every project network).</summary>
    private async Task<ToolRun> GuestAsync(string address, string command)
    {
        ToolRun? run = null;
        try
        {
            await Poller.UntilAsync(async () =>
            {
                run = await _controller.ExecAsync("/usr/bin/ssh",
                [
                    "-i", _guests.PrivateKeyFile, "-o", "StrictHostKeyChecking=no", "-o", "UserKnownHostsFile=/dev/null", "-o", "BatchMode=yes",
                    "-o", "ConnectTimeout=10", $"root@{address}", command,
                ], TimeSpan.FromSeconds(60));
                return run.ExitCode != 255;
            }, TimeSpan.FromMinutes(2), $"ssh to {address}");
        }
        catch (TimeoutException e)
        {
            throw new TimeoutException($"{e.Message}; last ssh: {run}; controller: {await _controller.ExecAsync("/usr/sbin/ip", ["-d", "link"])}; " +
                $"neighbours: {await _controller.ExecAsync("/usr/sbin/ip", ["neigh"])}; network log: {_cloud.Cloud.Logs[^Math.Min(_cloud.Cloud.Logs.Length, 6000)..]}", e);
        }
        return run!;
    }
}
