using System.Data.Common;
using Cloud.Modules.Kernel;
using Cloud.Modules.Network.Db;
using Cloud.Modules.Network.Drivers;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Cloud.Modules.Network;

/// <summary>
/// VlanManager (nova's, one network per project): an instance takes its address from its project's network only. A
/// project without one is given a pre-created unassigned network (<c>manage network create ... --vlan</c>), or else
/// the next free of the <c>--num_networks</c> slots of <c>--fixed_range</c> (VLAN <c>--vlan_start</c> + i, subnet i,
/// bridge br&lt;vlan&gt;) is created for it. The network host adds the tagged link (<see cref="VlanLinks"/>) to the
/// bridge and keeps from routing between project networks (see <see cref="VlanNetDriver.EnsureIsolatedAsync"/>).
/// </summary>
/// <remarks>
/// NOTE(vlan): nova's linux_net accepted forwarding in and out of every bridge and left cross-project traffic to the
/// compute hosts' security groups. Here the network host drops new connections routed from one project network into
/// another (replies and DNATed floating-IP traffic pass): projects are isolated even where no security group filter
/// runs, and a project reaches another's instance through its floating IP, which the security groups then govern.
/// </remarks>
public sealed partial class VlanTopology(
    NetworkStore networks,
    VlanNetworkStore vlans,
    VlanLinks links,
    VlanNetDriver driver,
    IOptions<NetworkFlags> flags,
    ILogger<VlanTopology> log) : INetworkTopology
{
    /// <summary>The label of networks created on demand (the key of nova's addresses map).</summary>
    public const string OnDemandLabel = "private";

    private readonly SemaphoreSlim _creating = new(1, 1);

    public async Task<IReadOnlyList<NetworkRecord>?> NetworksForAsync(string? projectId, CancellationToken cancellationToken)
    {
        if (string.IsNullOrEmpty(projectId))
        {
            throw CloudException.Invalid("VlanManager allocates from the instance's project network, and this instance has no project.");
        }
        return [await vlans.OfProjectAsync(projectId, cancellationToken).ConfigureAwait(false)
            ?? await vlans.AssignUnassignedAsync(projectId, cancellationToken).ConfigureAwait(false)
            ?? await CreateForAsync(projectId, cancellationToken).ConfigureAwait(false)];
    }

    public async Task EnsureServedAsync(NetworkRecord network, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(network);
        if (network.Vlan is { } vlan)
        {
            await links.EnsureAsync(network.Bridge, vlan, cancellationToken).ConfigureAwait(false);
            await driver.EnsureIsolatedAsync(network.Bridge, cancellationToken).ConfigureAwait(false);
        }
    }

    public Task RefreshAsync(CancellationToken cancellationToken) => links.RefreshAsync(cancellationToken);

    private async Task<NetworkRecord> CreateForAsync(string projectId, CancellationToken cancellationToken)
    {
        var f = flags.Value;
        await _creating.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            var (planned, vlan) = VlanPlan.NextFree(f.FixedRange, f.NumNetworks, f.NetworkSize, f.VlanStart, await networks.ListAsync(cancellationToken).ConfigureAwait(false))
                ?? throw CloudException.Conflict($"No network left for project {projectId}: all --num_networks={f.NumNetworks} VLAN networks of --fixed_range={f.FixedRange} are taken.");
            var created = (await networks.CreateAsync(OnDemandLabel, [planned], [VlanPlan.BridgeOf(vlan)], null, null, [vlan], projectId, cancellationToken).ConfigureAwait(false)).Single();
            LogCreated(created.Cidr, vlan, projectId);
            return created;
        }
        catch (Exception e) when (e is DbException or CloudException { Kind: CloudErrorKind.Conflict })
        {
            // Another network role created or assigned this project's network (or took the slot) meanwhile.
            if (await vlans.OfProjectAsync(projectId, cancellationToken).ConfigureAwait(false) is { } theirs)
            {
                return theirs;
            }
            throw;
        }
        finally
        {
            _creating.Release();
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "created network {Cidr} on VLAN {Vlan} for project {ProjectId}")]
    private partial void LogCreated(string cidr, int vlan, string projectId);
}
