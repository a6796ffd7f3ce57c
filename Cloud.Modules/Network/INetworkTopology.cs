namespace Cloud.Modules.Network;

/// <summary>
/// What differs between the managers that share <see cref="FlatDhcpManager"/>'s allocation and DHCP: which networks an
/// instance may take an address from, and what the network host adds to a network's bridge besides the gateway and
/// dnsmasq. <see cref="FlatTopology"/> for FlatDHCPManager, <see cref="VlanTopology"/> for VlanManager.
/// </summary>
public interface INetworkTopology
{
    /// <summary>The networks an instance of <paramref name="projectId"/> may take an address from; null: every network.</summary>
    Task<IReadOnlyList<NetworkRecord>?> NetworksForAsync(string? projectId, CancellationToken cancellationToken);

    /// <summary>Runs after the network host ensured the network's bridge and gateway address (idempotent).</summary>
    Task EnsureServedAsync(NetworkRecord network, CancellationToken cancellationToken);

    /// <summary>The network role's periodic task: follows hosts that joined or left.</summary>
    Task RefreshAsync(CancellationToken cancellationToken);
}
