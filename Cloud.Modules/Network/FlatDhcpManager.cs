using Cloud.Modules.Kernel;
using Cloud.Modules.Kernel.Auth;
using Cloud.Modules.Kernel.Bus;
using Cloud.Modules.Kernel.Service;
using Cloud.Modules.Network.Db;
using Cloud.Modules.Network.Drivers;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Cloud.Modules.Network;

/// <summary>
/// nova-network's FlatDHCPManager on the <c>network</c> topic. Allocates fixed IPs from the database and keeps the
/// host side of the networks this host serves in step through <see cref="LinuxNetDriver"/>: on start it claims the
/// networks no host serves yet and ensures their bridge (with the gateway address), dnsmasq, the metadata DNAT and
/// forwarding; on stop it stops dnsmasq. Periodically it frees the addresses of instances that are gone or never launched.
/// </summary>
public sealed partial class FlatDhcpManager(
    NetworkStore networks,
    IInstanceDirectory instances,
    LinuxNetDriver driver,
    NetworkRpcClient peers,
    FloatingIpHost floating,
    IOptions<NetworkFlags> networkFlags,
    IOptions<MetadataFlags> metadata,
    IOptions<CommonFlags> flags,
    ILogger<FlatDhcpManager> log,
    FixedIpStore fixedIps,
    StaleNetworkRemover staleNetworks,
    INetworkTopology? topology = null) : IRpcEndpoint, IPeriodicTasks, IHostedService
{
    private readonly INetworkTopology _topology = topology ?? new FlatTopology();

    private readonly SemaphoreSlim _dhcpGate = new(1, 1);

    private string Host => flags.Value.Host;

    private string NetworksDirectory => Path.Combine(flags.Value.StatePath, "networks");

    /// <summary>FlatManager: no dnsmasq, so no DHCP hosts and no leases to wait for.</summary>
    private bool WithoutDhcp => NetworkManagers.Require(networkFlags.Value.NetworkManager) == NetworkManagers.Flat;

    public async Task<object?> DispatchAsync(RequestContext context, IRpcMessage message, CancellationToken cancellationToken)
    {
        switch (message)
        {
            case AllocateForInstance m:
                return new InstanceNetworkReply(await AllocateAsync(context, m.InstanceUuid, cancellationToken).ConfigureAwait(false));
            case DeallocateForInstance m:
                await DeallocateAsync(context, m.InstanceUuid, cancellationToken).ConfigureAwait(false);
                return null;
            case GetInstanceNetwork m:
                return new InstanceNetworkReply(await GetAsync(m.InstanceUuid, cancellationToken).ConfigureAwait(false));
            case RefreshDhcp m:
                await RefreshLocalAsync(m.NetworkId, m.Released, cancellationToken).ConfigureAwait(false);
                return null;
            case SyncFloatingIps:
                await floating.SyncAsync(cancellationToken).ConfigureAwait(false);
                return null;
            default:
                throw new UnknownRpcMethodException(message);
        }
    }

    /// <summary>Sets up every network this host serves, claiming those nobody serves yet (nova's set_network_host).</summary>
    public async Task StartAsync(CancellationToken cancellationToken)
    {
        Directory.CreateDirectory(NetworksDirectory);
        DnsmasqReachability.Ensure(NetworksDirectory);
        var claimed = await networks.ClaimAsync(Host, cancellationToken).ConfigureAwait(false);
        if (claimed > 0)
        {
            LogClaimed(claimed, Host);
        }
        var served = await networks.OfHostAsync(Host, cancellationToken).ConfigureAwait(false);
        foreach (var network in served)
        {
            await EnsureNetworkAsync(network, cancellationToken).ConfigureAwait(false);
        }
        var bridges = served.Select(n => n.Bridge).ToHashSet(StringComparer.Ordinal);
        await staleNetworks.RemoveAsync(NetworksDirectory, bridges, WithoutDhcp ? new HashSet<string>() : bridges, cancellationToken).ConfigureAwait(false);
        await staleNetworks.SweepNatAsync(served.Select(MetadataTarget).ToHashSet(StringComparer.Ordinal), networkFlags.Value.FixedRange, cancellationToken).ConfigureAwait(false);
        await floating.SyncAsync(cancellationToken).ConfigureAwait(false);
    }

    public Task StopAsync(CancellationToken cancellationToken)
    {
        driver.Dispose();
        return Task.CompletedTask;
    }

    /// <summary>
    /// Frees the fixed IPs of instances that are deleted, gone, or failed before they launched, and returns to the pool
    /// the deallocated ones whose lease never ended within <c>--fixed_ip_disassociate_timeout</c>.
    /// </summary>
    public async Task RunPeriodicTasksAsync(CancellationToken cancellationToken)
    {
        if (await fixedIps.DisassociateStaleAsync(TimeSpan.FromSeconds(networkFlags.Value.FixedIpDisassociateTimeout), cancellationToken).ConfigureAwait(false) is > 0 and var stale)
        {
            LogDisassociatedStale(stale, networkFlags.Value.FixedIpDisassociateTimeout);
        }
        foreach (var ip in await networks.OrphanedAsync(instances, cancellationToken).ConfigureAwait(false))
        {
            LogReleasingOrphan(ip.Address, ip.InstanceUuid);
            await DeallocateAsync(RequestContext.Service(), ip.InstanceUuid!, cancellationToken).ConfigureAwait(false);
        }
        await _topology.RefreshAsync(cancellationToken).ConfigureAwait(false);
    }

    private async Task<InstanceNetwork> AllocateAsync(RequestContext context, string instanceUuid, CancellationToken cancellationToken)
    {
        var instance = await instances.NamesAsync(instanceUuid, cancellationToken).ConfigureAwait(false)
            ?? throw CloudException.NotFound($"Instance {instanceUuid} could not be found.");
        var hostname = Hostnames.Sanitize(instance.DisplayName, instance.Name);
        var among = await _topology.NetworksForAsync(instance.ProjectId, cancellationToken).ConfigureAwait(false);
        var (network, ip) = await networks.AllocateAsync(instanceUuid, hostname, among, cancellationToken).ConfigureAwait(false)
            ?? throw CloudException.Invalid("No networks defined: create one with 'cloudd manage network create LABEL CIDR NUM SIZE' (e.g. private 10.0.0.0/24 1 256).");
        LogAllocated(ip.Address, ip.MacAddress, instanceUuid);
        await RefreshAsync(context, network, [], cancellationToken).ConfigureAwait(false);
        await floating.AutoAssignAsync(instance.ProjectId, instanceUuid, cancellationToken).ConfigureAwait(false);
        return network.NicFor(ip);
    }

    private async Task DeallocateAsync(RequestContext context, string instanceUuid, CancellationToken cancellationToken)
    {
        await floating.ForgetInstanceAsync(instanceUuid, cancellationToken).ConfigureAwait(false);
        var ip = await networks.DeallocateAsync(instanceUuid, cancellationToken).ConfigureAwait(false);
        if (ip is null)
        {
            return;
        }
        LogDeallocated(ip.Address, instanceUuid);
        if (WithoutDhcp)
        {
            // nova's FlatManager.deallocate_fixed_ip: no lease will ever end, so the address is free at once.
            await fixedIps.DisassociateAsync(ip.Address, cancellationToken).ConfigureAwait(false);
            return;
        }
        if (await networks.FindAsync(ip.NetworkId, cancellationToken).ConfigureAwait(false) is { } network)
        {
            await RefreshAsync(context, network, [new ReleasedLease(ip.Address, ip.MacAddress ?? "")], cancellationToken).ConfigureAwait(false);
        }
    }

    private async Task<InstanceNetwork?> GetAsync(string instanceUuid, CancellationToken cancellationToken)
    {
        var ip = await networks.OfInstanceAsync(instanceUuid, cancellationToken).ConfigureAwait(false);
        return ip is not null && await networks.FindAsync(ip.NetworkId, cancellationToken).ConfigureAwait(false) is { } network ? network.NicFor(ip) : null;
    }

    /// <summary>The network's DHCP follows the database: here when this host serves it (claiming it if nobody does), else on its host.</summary>
    private async Task RefreshAsync(RequestContext context, NetworkRecord network, IReadOnlyList<ReleasedLease> released, CancellationToken cancellationToken)
    {
        if (network.Host is null)
        {
            // Created after the network roles started: the first to touch it serves it, as nova's set_network_host did.
            await networks.ClaimAsync(Host, cancellationToken).ConfigureAwait(false);
            network = await networks.FindAsync(network.Id, cancellationToken).ConfigureAwait(false) ?? network;
        }
        if (network.Host == Host)
        {
            await RefreshLocalAsync(network.Id, released, cancellationToken).ConfigureAwait(false);
        }
        else if (network.Host is not null)
        {
            await peers.RefreshDhcpAsync(context, network.Host, network.Id, released, cancellationToken).ConfigureAwait(false);
        }
    }

    private async Task RefreshLocalAsync(string networkId, IReadOnlyList<ReleasedLease> released, CancellationToken cancellationToken)
    {
        if (WithoutDhcp || await networks.FindAsync(networkId, cancellationToken).ConfigureAwait(false) is not { } network)
        {
            return;
        }
        await _dhcpGate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            if (driver.DnsmasqPid(network.Bridge) is null)
            {
                await EnsureNetworkAsync(network, cancellationToken).ConfigureAwait(false);
            }
            else
            {
                driver.WriteDhcpHosts(network.Bridge, FilesOf(network), await HostsOfAsync(network, cancellationToken).ConfigureAwait(false));
            }
            foreach (var lease in released)
            {
                await driver.ReleaseLeaseAsync(network.Bridge, lease.Address, lease.Mac, cancellationToken).ConfigureAwait(false);
            }
        }
        finally
        {
            _dhcpGate.Release();
        }
    }

    /// <summary>
    /// Where guests' 169.254.169.254:80 goes: <c>--metadata_host</c>, unless it is empty or a loopback address (my_ip
    /// on a host without a default route), which guests cannot reach: then the network's gateway on this host.
    /// </summary>
    private string MetadataTarget(NetworkRecord network) =>
        System.Net.IPAddress.TryParse(metadata.Value.MetadataHost, out var address) && !System.Net.IPAddress.IsLoopback(address)
            ? metadata.Value.MetadataHost
            : network.Gateway;

    /// <summary>Bridge with the gateway address, forwarding and SNAT, the metadata DNAT and dnsmasq for one network this host serves.</summary>
    private async Task EnsureNetworkAsync(NetworkRecord network, CancellationToken cancellationToken)
    {
        var f = networkFlags.Value;
        var prefix = network.Cidr[(network.Cidr.IndexOf('/', StringComparison.Ordinal) + 1)..];
        await driver.EnsureBridgeAsync(network.Bridge, network.BridgeInterface, $"{network.Gateway}/{prefix}", cancellationToken).ConfigureAwait(false);
        await _topology.EnsureServedAsync(network, cancellationToken).ConfigureAwait(false);
        var metadataTarget = MetadataTarget(network);
        if (!await driver.EnsureForwardingAsync(f.FixedRange, f.PublicInterface, metadataTarget, cancellationToken).ConfigureAwait(false))
        {
            LogNoPublicInterface(f.PublicInterface, f.FixedRange);
        }
        await driver.EnsureMetadataForwardAsync(metadataTarget, metadata.Value.MetadataPort, cancellationToken).ConfigureAwait(false);
        if (!WithoutDhcp)
        {
            driver.WriteDhcpHosts(network.Bridge, FilesOf(network), await HostsOfAsync(network, cancellationToken).ConfigureAwait(false));
            driver.EnsureDnsmasq(new DhcpSettings(network.Bridge, network.Gateway, network.Netmask, network.DhcpStart, network.Dns1, f.DhcpDomain,
                DhcpBridgeScript.Ensure(NetworksDirectory, f.DhcpBridge),
                DhcpBridgeScript.EnsureFlagFile(NetworksDirectory, f.DhcpBridgeFlagFile, [$"--sql_connection={flags.Value.SqlConnection}", $"--state_path={flags.Value.StatePath}"])), FilesOf(network));
        }
        LogServing(network.Cidr, network.Bridge);
    }

    private DnsmasqFiles FilesOf(NetworkRecord network) => DnsmasqFiles.For(NetworksDirectory, network.Bridge);

    private async Task<IReadOnlyList<DhcpHost>> HostsOfAsync(NetworkRecord network, CancellationToken cancellationToken) =>
        [.. (await networks.AllocatedAsync(network.Id, cancellationToken).ConfigureAwait(false)).Select(ip => new DhcpHost(ip.MacAddress ?? "", ip.Hostname ?? "", ip.Address))];

    [LoggerMessage(Level = LogLevel.Information, Message = "claimed {Count} networks for host {Host}")]
    private partial void LogClaimed(int count, string host);

    [LoggerMessage(Level = LogLevel.Information, Message = "serving network {Cidr} on bridge {Bridge}")]
    private partial void LogServing(string cidr, string bridge);

    [LoggerMessage(Level = LogLevel.Information, Message = "no SNAT: --public_interface={Interface} does not exist on this host, so {FixedRange} is not masqueraded")]
    private partial void LogNoPublicInterface(string @interface, string fixedRange);

    [LoggerMessage(Level = LogLevel.Information, Message = "allocated {Address} ({Mac}) to instance {Uuid}")]
    private partial void LogAllocated(string address, string? mac, string uuid);

    [LoggerMessage(Level = LogLevel.Information, Message = "deallocated {Address} from instance {Uuid}")]
    private partial void LogDeallocated(string address, string uuid);

    [LoggerMessage(Level = LogLevel.Information, Message = "returned {Count} deallocated fixed IPs to the pool: no lease ended within {Timeout} s")]
    private partial void LogDisassociatedStale(int count, int timeout);

    [LoggerMessage(Level = LogLevel.Information, Message = "releasing {Address}: instance {Uuid} is gone or never launched")]
    private partial void LogReleasingOrphan(string address, string? uuid);
}
