using Dapper;

namespace Cloud.Tests.Support;

/// <summary>
/// The seed's multi-host layout on one machine: the controller roles (api, scheduler, network, glance) in one network
/// namespace with br100, dnsmasq and the metadata DNAT; two compute hosts cmp1 (zone1) and cmp2 (zone2), each a
/// namespace with its own libvirtd, bus and br100 joined to the controller's by a veth (<c>--flat_interface</c>);
/// MariaDB and RabbitMQ outside, reached through loopback bridges; the test image uploaded.
/// </summary>
public sealed class TwoComputeHostsCloud : IAsyncDisposable
{
    private readonly List<IAsyncDisposable> _teardown = [];
    private readonly Dictionary<string, IReadOnlyList<string>> _computeArgs = [];
    private readonly string _controllerRoles;
    private readonly IReadOnlyList<string> _controllerFlags;
    private readonly IReadOnlyList<int> _portsForComputes;

    private TwoComputeHostsCloud(MySqlHarness db, string controllerRoles, IReadOnlyList<string> controllerFlags, IReadOnlyList<int> portsForComputes)
    {
        Db = db;
        _controllerRoles = controllerRoles;
        _controllerFlags = controllerFlags;
        _portsForComputes = portsForComputes;
    }

    public MySqlHarness Db { get; }

    public NetworkNamespace Controller { get; private set; } = null!;

    public ComputeApiCloud Cloud { get; private set; } = null!;

    public TestImageCloud Guests { get; private set; } = null!;

    /// <summary>The compute hosts by name, with their running compute process.</summary>
    public Dictionary<string, (VirtHost Host, CloudProcess Compute)> Computes { get; } = [];

    /// <param name="computeFlags">Flags added to both compute processes' command lines.</param>
    public static Task<TwoComputeHostsCloud> StartAsync(params string[] computeFlags) =>
        StartAsync("api,scheduler,network,glance", [], [], computeFlags);

    /// <summary>
    /// The same layout with the volume role on the controller too (file driver under its state path), exporting through
    /// <paramref name="tgt"/>: a tgtd in the machine's namespace on 127.0.0.1, driven over its control socket (a file,
    /// reachable from the controller's namespace) and whose portal port is imported into each compute host's namespace,
    /// so the hosts' QEMU logs in at 127.0.0.1:PORT as the volume role announces it.
    /// </summary>
    public static Task<TwoComputeHostsCloud> StartWithVolumeHostAsync(TgtDaemon tgt, params string[] computeFlags)
    {
        ArgumentNullException.ThrowIfNull(tgt);
        string[] volumeFlags =
        [
            "--volume_driver=file", $"--iscsi_ip_address={tgt.PortalAddress}", $"--iscsi_port={tgt.PortalPort}", $"--tgt_control_port={tgt.ControlPort}",
        ];
        return StartAsync("api,scheduler,network,glance,volume", volumeFlags, [tgt.PortalPort], computeFlags);
    }

    private static async Task<TwoComputeHostsCloud> StartAsync(string controllerRoles, string[] controllerFlags, int[] portsForComputes, string[] computeFlags)
    {
        TestEnv.RequireRoot();
        var cloud = new TwoComputeHostsCloud(new MySqlHarness(), controllerRoles, controllerFlags, portsForComputes);
        try
        {
            await cloud.SetUpAsync(computeFlags);
        }
        catch
        {
            await cloud.DisposeAsync();
            throw;
        }
        return cloud;
    }

    /// <summary>Starts the host's compute process again with the same command line (after it was killed).</summary>
    public void RestartCompute(string name)
    {
        var host = Computes[name].Host;
        Computes[name] = (host, CloudProcess.StartIn(host.Namespace, _computeArgs[name], host.Environment));
    }

    private async Task SetUpAsync(IReadOnlyList<string> computeFlags)
    {
        var amqp = TestEnv.AmqpFlags();
        var dbPort = new Uri(TestEnv.MySqlServer).Port;
        var sockets = new TempDir();
        _teardown.Add(new DisposeDirectory(sockets));
        Controller = await NetworkNamespace.CreateAsync("ctl");
        _teardown.Add(Controller);
        foreach (var port in new[] { dbPort, TestEnv.Amqp.Port })
        {
            _teardown.Add(await PortBridge.ImportAsync(Controller, port, sockets.Path));
        }
        await Controller.RunAsync("/usr/bin/ip", "link", "add", "br100", "type", "bridge");
        await Controller.RunAsync("/usr/bin/ip", "link", "set", "br100", "up");

        var api = await ApiCloud.StartInAsync(Controller, new Dictionary<string, string>(), Db.SqlConnection, _controllerRoles,
            cloud => cloud.ManageAsync("network", "create", "private", "10.0.0.0/24", "1", "256"),
            [
                .. amqp, "--network_manager=FlatDHCPManager", "--flat_network_bridge=br100", "--metadata_host=10.0.0.1",
                "--metadata_listen=0.0.0.0", "--metadata_port=8775", "--report_interval=1", "--periodic_interval=1",
                "--service_down_time=10", "--host=controller", .. _controllerFlags,
            ]);
        Cloud = await ComputeApiCloud.AroundAsync(api);
        var glancePort = new Uri(api.GlanceUrl).Port;
        var keystonePort = new Uri(api.KeystoneUrl).Port;

        foreach (var (name, zone) in new[] { ("cmp1", "zone1"), ("cmp2", "zone2") })
        {
            var host = await VirtHost.StartAsync(name);
            _teardown.Add(host);
            foreach (var port in new[] { dbPort, TestEnv.Amqp.Port, glancePort, keystonePort }.Concat(_portsForComputes))
            {
                _teardown.Add(await PortBridge.ImportAsync(host.Namespace, port, sockets.Path));
            }
            // The host's flat interface: one end of a veth in its namespace, the other on the controller's bridge.
            await Controller.RunAsync("/usr/bin/ip", "link", "add", $"v{name}", "type", "veth", "peer", "name", "fl0", "netns", host.Namespace.Name);
            await Controller.RunAsync("/usr/bin/ip", "link", "set", $"v{name}", "master", "br100", "up");
            var state = new TempDir().Traversable();
            _teardown.Add(new DisposeDirectory(state));
            _computeArgs[name] =
            [
                "--roles=compute", $"--state_path={state.Path}", $"--logdir={state.Path}/log", $"--sql_connection={Db.SqlConnection}", .. amqp,
                "--compute_driver=libvirt", "--libvirt_type=qemu", "--network_manager=FlatDHCPManager", "--flat_network_bridge=br100",
                "--flat_interface=fl0", $"--glance_api_servers=127.0.0.1:{glancePort}", $"--host={name}", $"--node_availability_zone={zone}",
                $"--image_reader_auth_url={api.KeystoneUrl}/v3", $"--image_reader_password={ApiCloud.ImageReaderPassword}",
                "--report_interval=1", "--periodic_interval=1", .. computeFlags,
            ];
            Computes[name] = (host, CloudProcess.StartIn(host.Namespace, _computeArgs[name], host.Environment));
        }
        await Poller.UntilAsync(async () =>
        {
            await using var c = await Db.Db.OpenAsync(default);
            return (await c.QueryAsync<string>("SELECT host FROM compute_nodes")).Count() == 2;
        }, TimeSpan.FromSeconds(90), "both compute hosts to report");
        Guests = new TestImageCloud(Cloud);
        await Guests.UploadAsync();
    }

    public async ValueTask DisposeAsync()
    {
        foreach (var (_, compute) in Computes.Values)
        {
            await compute.DisposeAsync();
        }
        if (Cloud is not null)
        {
            await Cloud.DisposeAsync();
        }
        foreach (var item in Enumerable.Reverse(_teardown))
        {
            await item.DisposeAsync();
        }
        await Db.DisposeAsync();
    }
}
