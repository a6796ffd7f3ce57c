using System.Text.RegularExpressions;
using Cloud.Tests.Support;
using Dapper;
using FluentAssertions;
using NUnit.Framework;

namespace Cloud.Tests.Integration;

/// <summary>
/// The seed's multi-host layout on one machine: the controller roles (api, scheduler, network, glance) in one network
/// namespace with br100, dnsmasq and the metadata DNAT; two compute hosts, each a namespace with its own libvirtd,
/// bus and br100 joined to the controller's by a veth (<c>--flat_interface</c>); MariaDB and RabbitMQ outside, reached
/// through loopback bridges. Instances land on both hosts, the metadata service answers each guest only about itself,
/// and a host killed mid-boot leaves its instance in ERROR with its fixed IP released.
/// </summary>
[TestFixture]
[Category("Integration")]
[NonParallelizable]
public sealed class TwoComputeHostsTests
{
    private readonly List<IAsyncDisposable> _teardown = [];
    private readonly Dictionary<string, (VirtHost Host, CloudProcess Compute)> _computes = [];
    private ComputeApiCloud _cloud = null!;
    private MySqlHarness _db = null!;
    private NetworkNamespace _controller = null!;

    [OneTimeSetUp]
    public async Task StartAsync()
    {
        TestEnv.RequireRoot();
        _db = new MySqlHarness();
        var amqp = TestEnv.AmqpFlags();
        var dbPort = new Uri(TestEnv.MySqlServer).Port;
        var sockets = new TempDir();
        _teardown.Add(new DisposeDirectory(sockets));
        _controller = await NetworkNamespace.CreateAsync("ctl");
        _teardown.Add(_controller);
        foreach (var port in new[] { dbPort, TestEnv.Amqp.Port })
        {
            _teardown.Add(await PortBridge.ImportAsync(_controller, port, sockets.Path));
        }
        await _controller.RunAsync("/usr/bin/ip", "link", "add", "br100", "type", "bridge");
        await _controller.RunAsync("/usr/bin/ip", "link", "set", "br100", "up");

        var api = await ApiCloud.StartInAsync(_controller, new Dictionary<string, string>(), _db.SqlConnection, "api,scheduler,network,glance",
            cloud => cloud.ManageAsync("network", "create", "private", "10.0.0.0/24", "1", "256"),
            [
                .. amqp, "--network_manager=FlatDHCPManager", "--flat_network_bridge=br100", "--metadata_host=10.0.0.1",
                "--metadata_listen=0.0.0.0", "--metadata_port=8775", "--report_interval=1", "--periodic_interval=1",
                "--service_down_time=10", "--host=controller",
            ]);
        _cloud = await ComputeApiCloud.AroundAsync(api);
        var glancePort = new Uri(api.GlanceUrl).Port;
        var keystonePort = new Uri(api.KeystoneUrl).Port;

        foreach (var (name, zone) in new[] { ("cmp1", "zone1"), ("cmp2", "zone2") })
        {
            var host = await VirtHost.StartAsync(name);
            _teardown.Add(host);
            foreach (var port in new[] { dbPort, TestEnv.Amqp.Port, glancePort, keystonePort })
            {
                _teardown.Add(await PortBridge.ImportAsync(host.Namespace, port, sockets.Path));
            }
            // The host's flat interface: one end of a veth in its namespace, the other on the controller's bridge.
            await _controller.RunAsync("/usr/bin/ip", "link", "add", $"v{name}", "type", "veth", "peer", "name", "fl0", "netns", host.Namespace.Name);
            await _controller.RunAsync("/usr/bin/ip", "link", "set", $"v{name}", "master", "br100", "up");
            var state = new TempDir().Traversable();
            _teardown.Add(new DisposeDirectory(state));
            var compute = CloudProcess.StartIn(host.Namespace,
            [
                "--roles=compute", $"--state_path={state.Path}", $"--logdir={state.Path}/log", $"--sql_connection={_db.SqlConnection}", .. amqp,
                "--compute_driver=libvirt", "--libvirt_type=qemu", "--network_manager=FlatDHCPManager", "--flat_network_bridge=br100",
                "--flat_interface=fl0", $"--glance_api_servers=127.0.0.1:{glancePort}", $"--host={name}", $"--node_availability_zone={zone}",
                $"--image_reader_auth_url={api.KeystoneUrl}/v3", $"--image_reader_password={ApiCloud.ImageReaderPassword}",
                "--report_interval=1", "--periodic_interval=1",
            ], host.Environment);
            _computes[name] = (host, compute);
        }
        await Poller.UntilAsync(async () =>
        {
            await using var c = await _db.Db.OpenAsync(default);
            return (await c.QueryAsync<string>("SELECT host FROM compute_nodes")).Count() == 2;
        }, TimeSpan.FromSeconds(90), "both compute hosts to report");
        _guests = new TestImageCloud(_cloud);
        await _guests.UploadAsync();
    }

    private TestImageCloud _guests = null!;

    [OneTimeTearDown]
    public async Task StopAsync()
    {
        foreach (var (_, compute) in _computes.Values)
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
    [Order(1)]
    public async Task Instances_land_on_both_hosts_and_the_metadata_service_answers_each_guest_only_about_itself()
    {
        var ids = new List<string>();
        foreach (var zone in new[] { "zone1", "zone2" })
        {
            ids.AddRange(await _guests.RunAsync("--placement", $"AvailabilityZone={zone}"));
        }

        foreach (var id in ids)
        {
            await _guests.StateIsAsync(id, "running");
            (await _guests.ConsoleShowsAsync(id, @"TINYVM: meta instance-id=(\S+)")).Groups[1].Value.Should().Be(id);
            var address = (await _guests.ConsoleShowsAsync(id, @"TINYVM: READY ip=(\S+)")).Groups[1].Value;
            (await _controller.ExecAsync("/bin/busybox", ["ping", "-c", "1", "-W", "5", address], TimeSpan.FromSeconds(30))).ExitCode.Should().Be(0);
        }
        foreach (var (name, (host, _)) in _computes)
        {
            Regex.Matches(await host.VirshAsync("list", "--name"), "instance-[0-9a-f]{8}").Should().HaveCount(1, "{0} runs exactly one of the two", name);
        }
        await _guests.AwsAsync("terminate-instances", "--instance-ids", ids[0], ids[1]);
        foreach (var id in ids)
        {
            await _guests.StateIsAsync(id, "terminated");
        }
    }

    [Test]
    [Order(2)] // it kills cmp2's compute process for good
    public async Task An_instance_whose_compute_host_is_killed_mid_boot_goes_to_error_and_its_fixed_ip_is_released()
    {
        var (host, compute) = _computes["cmp2"];
        var libvirtd = int.Parse((await File.ReadAllTextAsync(Path.Combine(host.Directory, "libvirtd.pid"))).Trim(), System.Globalization.CultureInfo.InvariantCulture);
        // A libvirtd that does not answer holds the spawn after the fixed IP is allocated: then the host dies.
        await ExternalTool.RunAsync("/bin/kill", ["-STOP", libvirtd.ToString(System.Globalization.CultureInfo.InvariantCulture)], "/tmp");
        try
        {
            var id = (await _guests.RunAsync("--placement", "AvailabilityZone=zone2")).Single();
            var uuid = await _guests.UuidOfAsync(id);
            await Poller.UntilAsync(async () => (await AllocatedToAsync(uuid)).Count > 0, TimeSpan.FromSeconds(90), "the fixed IP to be allocated");
            compute.KillHard();

            await _guests.StateIsAsync(id, "error", TimeSpan.FromMinutes(2));
            var fault = await _guests.AwsAsync("describe-instances", "--instance-ids", id, "--query", "Reservations[].Instances[].StateReason.Message", "--output", "text");
            fault.Should().Contain("Compute host cmp2 stopped reporting");
            await Poller.UntilAsync(async () => (await AllocatedToAsync(uuid)).Count == 0, TimeSpan.FromSeconds(60), "the fixed IP to be released");
        }
        finally
        {
            await ExternalTool.RunAsync("/bin/kill", ["-CONT", libvirtd.ToString(System.Globalization.CultureInfo.InvariantCulture)], "/tmp");
        }
    }

    private async Task<IReadOnlyList<string>> AllocatedToAsync(string uuid)
    {
        await using var c = await _db.Db.OpenAsync(default);
        return (await c.QueryAsync<string>("SELECT address FROM fixed_ips WHERE instance_uuid = @Uuid AND allocated = 1", new { Uuid = uuid })).AsList();
    }
}
