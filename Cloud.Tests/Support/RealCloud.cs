using FluentAssertions;

namespace Cloud.Tests.Support;

/// <summary>
/// A whole cloud on one hypervisor host of its own: <see cref="VirtHost"/> (namespace, libvirtd, bus) and inside it
/// one cloudd with every role — api, scheduler, network (FlatDHCP on br100, 10.0.0.0/24, dnsmasq, metadata DNAT),
/// compute (libvirt, TCG) and glance — on SQLite, with the test image and alice's key (<see cref="TestImageCloud"/>).
/// Clients run outside the namespace against the same loopback URLs; ping and ssh run inside it.
/// </summary>
public sealed class RealCloud : IAsyncDisposable
{
    private RealCloud(VirtHost host, TestImageCloud guests)
    {
        Host = host;
        Guests = guests;
    }

    public VirtHost Host { get; }

    public TestImageCloud Guests { get; }

    public ApiCloud Api => Guests.Compute.Cloud;

    /// <param name="purpose">Names the host (namespace and <c>--host</c>).</param>
    /// <param name="prepareHost">What the host has before cloudd starts (e.g. a public interface), or null.</param>
    /// <param name="extraFlags">More flags for cloudd.</param>
    public static Task<RealCloud> StartAsync(string purpose, Func<VirtHost, Task>? prepareHost = null, params string[] extraFlags) =>
        StartAsync(purpose, "", prepareHost, extraFlags);

    /// <param name="purpose">Names the host (namespace and <c>--host</c>).</param>
    /// <param name="extraRoles">More roles beside api, scheduler, network, compute and glance (e.g. <c>volume</c>), comma-separated.</param>
    /// <param name="prepareHost">What the host has before cloudd starts (e.g. a public interface, a tgtd), or null.</param>
    /// <param name="extraFlags">More flags for cloudd.</param>
    public static async Task<RealCloud> StartAsync(string purpose, string extraRoles, Func<VirtHost, Task>? prepareHost, params string[] extraFlags)
    {
        var host = await VirtHost.StartAsync(purpose);
        try
        {
            if (prepareHost is not null)
            {
                await prepareHost(host);
            }
            var api = await ApiCloud.StartInAsync(host.Namespace, host.Environment, null, extraRoles.Length == 0 ? "api,scheduler,network,compute,glance" : "api,scheduler,network,compute,glance," + extraRoles,
                cloud => cloud.ManageAsync("network", "create", "private", "10.0.0.0/24", "1", "256"),
                [
                    "--compute_driver=libvirt", "--libvirt_type=qemu", "--network_manager=FlatDHCPManager", "--flat_network_bridge=br100",
                    "--metadata_host=10.0.0.1", "--metadata_listen=0.0.0.0", "--metadata_port=8775",
                    "--report_interval=1", "--periodic_interval=1", $"--host={purpose}-host", .. extraFlags,
                ]);
            var compute = await ComputeApiCloud.AroundAsync(api);
            await compute.ComputeHostsUpAsync();
            var cloud = new RealCloud(host, new TestImageCloud(compute));
            await cloud.Guests.UploadAsync();
            return cloud;
        }
        catch
        {
            await host.DisposeAsync();
            throw;
        }
    }

    /// <summary>Waits (up to four minutes: TCG guests boot in seconds, slower on a loaded machine) until the condition holds.</summary>
    public Task UntilAsync(Func<Task<bool>> condition, string what) => Poller.UntilAsync(condition, TimeSpan.FromMinutes(4), what);

    /// <summary>
    /// Waits until alice's server shows the status (<c>openstack server show</c>); an ERROR it did not wait for ends the wait
    /// at once, and the failure shows the whole server.
    /// </summary>
    public async Task ServerStatusIsAsync(string serverId, string status)
    {
        var now = "";
        await UntilAsync(async () =>
        {
            now = await Guests.OpenstackAsync("alice", "server", "show", serverId, "-f", "value", "-c", "status");
            return now == status || (now == "ERROR" && status != "ERROR");
        }, $"server {serverId} to be {status}");
        now.Should().Be(status, await Guests.OpenstackAsync("alice", "server", "show", serverId, "-f", "json"));
    }

    /// <summary>Runs a command on the guest over ssh with alice's key, from inside the host's namespace.</summary>
    public Task<ToolRun> SshAsync(string address, string command) => Guests.SshAsync(Host.Namespace, address, command);

    /// <summary>Pings the guest from the host's bridge (busybox ping: the machine has no ping binary).</summary>
    public Task<ToolRun> PingAsync(string address) =>
        Host.Namespace.ExecAsync("/bin/busybox", ["ping", "-c", "1", "-W", "5", address], TimeSpan.FromSeconds(30));

    public async ValueTask DisposeAsync()
    {
        await Guests.Compute.DisposeAsync();
        await Host.DisposeAsync();
    }
}
