using Cloud.Modules.Kernel;
using Cloud.Modules.Kernel.Service;
using Cloud.Modules.Network.Db;
using Cloud.Modules.Network.Drivers;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Cloud.Modules.Network;

/// <summary>
/// The tagged link of a project network's bridge, on the network host and on every compute host running the project's
/// instances. <c>--vlan_driver</c> picks 802.1q (<c>vlan&lt;id&gt;</c> on <c>--vlan_interface</c>) or VXLAN (default:
/// 802.1q where the kernel has it, else VXLAN; the choice is logged). With VXLAN the VNI is the VLAN id, the local
/// end is <c>--my_ip</c> and the peers are the other hosts whose network or compute service is up (the services
/// table) at the address they registered (network_underlay); <see cref="RefreshAsync"/> follows hosts that join or leave.
/// </summary>
public sealed partial class VlanLinks(
    VlanNetDriver driver,
    VlanNetworkStore store,
    ServiceGroup services,
    IOptions<NetworkFlags> flags,
    IOptions<CommonFlags> common,
    ILogger<VlanLinks> log)
{
    private static readonly string[] PeerBinaries = [ServiceGroup.BinaryOf("network"), ServiceGroup.BinaryOf("compute")];

    private readonly Lazy<bool> _vxlan = new(() => UsesVxlan(flags.Value.VlanDriver, VlanNetDriver.KernelHas8021q(), log));

    private bool Vxlan => _vxlan.Value;

    /// <summary>Whether the links are VXLAN: <paramref name="flag"/> when set, else VXLAN only where the kernel lacks 802.1q.</summary>
    public static bool UsesVxlan(string flag, bool kernelHas8021q, ILogger log)
    {
        var vxlan = flag switch { "vxlan" => true, "8021q" => false, _ => !kernelHas8021q };
        LogDriver(log, vxlan ? "vxlan" : "8021q", string.IsNullOrEmpty(flag) ? (kernelHas8021q ? "the kernel has 8021q" : "the kernel has no 8021q") : "--vlan_driver");
        return vxlan;
    }

    /// <summary>The VLAN's link exists, is a port of <paramref name="bridge"/> and (VXLAN) floods to the current peers.</summary>
    public async Task EnsureAsync(string bridge, int vlan, CancellationToken cancellationToken)
    {
        var f = flags.Value;
        if (!Vxlan)
        {
            if (string.IsNullOrEmpty(f.VlanInterface))
            {
                throw new InvalidOperationException("--vlan_driver=8021q needs --vlan_interface, the interface that carries the tagged traffic");
            }
            await driver.EnsureVlanInterfaceAsync(f.VlanInterface, vlan, bridge, cancellationToken).ConfigureAwait(false);
            return;
        }
        var peers = await PeersAsync(cancellationToken).ConfigureAwait(false);
        await driver.EnsureVxlanAsync(vlan, bridge, common.Value.MyIp, NullIfEmpty(f.VlanInterface), peers, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Registers this host's VXLAN endpoint and brings every VXLAN link on this host up to date with the peers.</summary>
    public async Task RefreshAsync(CancellationToken cancellationToken)
    {
        if (!Vxlan)
        {
            return;
        }
        var peers = await PeersAsync(cancellationToken).ConfigureAwait(false);
        foreach (var vni in await driver.VxlanIdsAsync(cancellationToken).ConfigureAwait(false))
        {
            await driver.EnsurePeersAsync(vni, peers, cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>Registers this host's VXLAN endpoint (--my_ip), so peers that refresh include it.</summary>
    public async Task RegisterAsync(CancellationToken cancellationToken)
    {
        if (Vxlan)
        {
            await store.RegisterUnderlayAsync(common.Value.Host, common.Value.MyIp, cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>The addresses of the other hosts whose network or compute service is up.</summary>
    private async Task<IReadOnlyCollection<string>> PeersAsync(CancellationToken cancellationToken)
    {
        await RegisterAsync(cancellationToken).ConfigureAwait(false);
        var up = (await services.ListAsync(cancellationToken).ConfigureAwait(false))
            .Where(s => PeerBinaries.Contains(s.Binary) && services.IsUp(s))
            .Select(s => s.Host)
            .ToHashSet(StringComparer.Ordinal);
        return (await store.UnderlayAsync(cancellationToken).ConfigureAwait(false))
            .Where(h => h.Host != common.Value.Host && up.Contains(h.Host) && h.Address != common.Value.MyIp)
            .Select(h => h.Address)
            .ToHashSet(StringComparer.Ordinal);
    }

    private static string? NullIfEmpty(string value) => string.IsNullOrEmpty(value) ? null : value;

    [LoggerMessage(Level = LogLevel.Information, Message = "VlanManager links are {Driver} ({Why})")]
    private static partial void LogDriver(ILogger log, string driver, string why);
}
