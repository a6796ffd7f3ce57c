using Cloud.Modules.Kernel;
using Cloud.Modules.Network.Db;

namespace Cloud.Modules.Network;

/// <summary>
/// Fixed IPs one by one: the operator's <c>cloudd manage fixed reserve|unreserve|list</c>, and dnsmasq's lease
/// callbacks through <c>cloudd dhcpbridge add|old|del</c> (nova-dhcpbridge's lease_fixed_ip/release_fixed_ip).
/// </summary>
public sealed class FixedIpApi(FixedIpStore store)
{
    public Task ReserveAsync(string address, CancellationToken cancellationToken) =>
        store.SetReservedAsync(Valid(address), reserved: true, cancellationToken);

    public Task UnreserveAsync(string address, CancellationToken cancellationToken) =>
        store.SetReservedAsync(Valid(address), reserved: false, cancellationToken);

    public Task<IReadOnlyList<FixedIp>> ListAsync(CancellationToken cancellationToken) => store.ListAsync(cancellationToken);

    /// <summary>dnsmasq handed out (or, at its start, still holds) a lease; false when the address and MAC match no fixed IP.</summary>
    public Task<bool> LeasedAsync(string mac, string address, CancellationToken cancellationToken) =>
        store.LeaseAsync(Valid(address), mac, cancellationToken);

    /// <summary>dnsmasq's lease ended; a deallocated address returns to the pool. False when nothing matched.</summary>
    public Task<bool> ReleasedAsync(string mac, string address, CancellationToken cancellationToken) =>
        store.ReleaseAsync(Valid(address), mac, cancellationToken);

    private static string Valid(string address) =>
        NetworkPlan.TryParseIPv4(address) is null ? throw CloudException.Invalid($"{address} is not an IPv4 address.") : address;
}
