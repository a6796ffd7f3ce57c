using System.Data.Common;
using Cloud.Modules.Kernel;
using Cloud.Modules.Kernel.Db;
using Dapper;
using static Cloud.Modules.Kernel.Db.Sql;

namespace Cloud.Modules.Network.Db;

/// <summary>The networks and fixed_ips rows: creating networks, and allocating fixed IPs safely with any number of network roles on one database.</summary>
public sealed class NetworkStore(IDbConnectionFactory db, TimeProvider clock)
{
    private const int AllocationAttempts = 64;

    private DateTime Now => clock.GetUtcNow().UtcDateTime;

    public async Task<IReadOnlyList<NetworkRecord>> ListAsync(CancellationToken cancellationToken) =>
        await db.QueryListAsync<NetworkRecord>(NetworkQueries.ListNetworks, null, cancellationToken).ConfigureAwait(false);

    public async Task<IReadOnlyList<NetworkRecord>> OfHostAsync(string host, CancellationToken cancellationToken) =>
        await db.QueryListAsync<NetworkRecord>(NetworkQueries.NetworksOfHost, new { Host = host }, cancellationToken).ConfigureAwait(false);

    public async Task<NetworkRecord?> FindAsync(string id, CancellationToken cancellationToken) =>
        (await db.QueryListAsync<NetworkRecord>(NetworkQueries.NetworkById, new { Id = id }, cancellationToken).ConfigureAwait(false)).SingleOrDefault();

    public async Task<FixedIp?> OfInstanceAsync(string instanceUuid, CancellationToken cancellationToken) =>
        (await db.QueryListAsync<FixedIp>(NetworkQueries.FixedIpOfInstance, new { InstanceUuid = instanceUuid }, cancellationToken).ConfigureAwait(false)).FirstOrDefault();

    public async Task<IReadOnlyList<FixedIp>> AllocatedAsync(string networkId, CancellationToken cancellationToken) =>
        await db.QueryListAsync<FixedIp>(NetworkQueries.AllocatedInNetwork, new { NetworkId = networkId }, cancellationToken).ConfigureAwait(false);

    /// <summary>Addresses whose instance must give them back (<see cref="IInstanceDirectory.ReleasableAsync"/>), Compute telling which.</summary>
    public async Task<IReadOnlyList<FixedIp>> OrphanedAsync(IInstanceDirectory instances, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(instances);
        var allocated = await db.QueryListAsync<FixedIp>(NetworkQueries.Allocated, null, cancellationToken).ConfigureAwait(false);
        var releasable = await instances.ReleasableAsync([.. allocated.Select(ip => ip.InstanceUuid).OfType<string>().Distinct()], cancellationToken).ConfigureAwait(false);
        return [.. allocated.Where(ip => ip.InstanceUuid is null || releasable.Contains(ip.InstanceUuid))];
    }

    /// <summary>The allocated fixed IP <paramref name="address"/>, or null.</summary>
    public async Task<FixedIp?> AllocatedAddressAsync(string address, CancellationToken cancellationToken) =>
        (await db.QueryListAsync<FixedIp>(NetworkQueries.AllocatedAddress, new { Address = address }, cancellationToken).ConfigureAwait(false)).SingleOrDefault();

    /// <summary>The allocated fixed IPs of these instances, with their network's label.</summary>
    public async Task<IReadOnlyList<FixedAddress>> AddressesOfAsync(IReadOnlyList<string> instanceUuids, CancellationToken cancellationToken) =>
        await KeyChunks.QueryAsync(db, NetworkQueries.FixedAddresses, "Uuids", instanceUuids, FixedAddressRow.Read, cancellationToken).ConfigureAwait(false);

    /// <summary>The floating IPs associated with these instances, after their fixed IPs in the APIs' views.</summary>
    public async Task<IReadOnlyList<FixedAddress>> FloatingAddressesOfAsync(IReadOnlyList<string> instanceUuids, CancellationToken cancellationToken) =>
        await KeyChunks.QueryAsync(db, FloatingIpQueries.FloatingAddresses, "Uuids", instanceUuids, FixedAddressRow.Read, cancellationToken).ConfigureAwait(false);

    /// <summary>Takes the networks no network role serves yet for <paramref name="host"/>; returns how many.</summary>
    public async Task<int> ClaimAsync(string host, CancellationToken cancellationToken) =>
        await db.ExecuteAsync(NetworkQueries.ClaimNetworks, new { Host = host }, cancellationToken).ConfigureAwait(false);

    /// <summary>Writes the planned networks (network i on bridges[i]) and all their fixed_ips rows in one transaction; refuses overlaps and shared bridges.</summary>
    public Task<IReadOnlyList<NetworkRecord>> CreateAsync(string label, IReadOnlyList<PlannedNetwork> plan, IReadOnlyList<string> bridges, string? bridgeInterface, string? dns, CancellationToken cancellationToken) =>
        CreateAsync(label, plan, bridges, bridgeInterface, dns, null, null, cancellationToken);

    /// <summary>As above, network i on VLAN <paramref name="vlans"/>[i] (when given), all of them <paramref name="projectId"/>'s; refuses a VLAN or a project that already has a network.</summary>
    public async Task<IReadOnlyList<NetworkRecord>> CreateAsync(string label, IReadOnlyList<PlannedNetwork> plan, IReadOnlyList<string> bridges, string? bridgeInterface, string? dns,
        IReadOnlyList<int>? vlans, string? projectId, CancellationToken cancellationToken)
    {
        await using var c = await db.OpenAsync(cancellationToken).ConfigureAwait(false);
        await using var t = await c.BeginTransactionAsync(cancellationToken).ConfigureAwait(false);
        var existing = (await c.QueryAsync<NetworkRecord>(Cmd(NetworkQueries.ListNetworks, null, cancellationToken, t)).ConfigureAwait(false)).AsList();
        var created = new List<NetworkRecord>();
        if (projectId is not null && existing.FirstOrDefault(e => e.ProjectId == projectId) is { } owned)
        {
            throw CloudException.Conflict($"Project {projectId} already has network {owned.Cidr} (VLAN {owned.Vlan?.ToString(System.Globalization.CultureInfo.InvariantCulture) ?? "none"}); VlanManager gives a project one network.");
        }
        foreach (var (planned, bridge, index) in plan.Zip(bridges).Select((p, i) => (p.First, p.Second, i)))
        {
            int? vlan = vlans is null ? null : vlans[index];
            if (vlan is not null && existing.FirstOrDefault(e => e.Vlan == vlan) is { } tagged)
            {
                throw CloudException.Conflict($"VLAN {vlan} already carries network {tagged.Cidr} ({tagged.Label}).");
            }
            if (existing.FirstOrDefault(e => e.Bridge == bridge) is { } sharing)
            {
                throw CloudException.Conflict($"Bridge {bridge} already carries network {sharing.Cidr} ({sharing.Label}); each network needs its own bridge (--bridge=...).");
            }
            if (existing.FirstOrDefault(e => NetworkPlan.Overlap(e.Cidr, planned.Cidr)) is { } clash)
            {
                throw CloudException.Conflict($"Network {planned.Cidr} overlaps the existing network {clash.Cidr} ({clash.Label}).");
            }
            var network = new NetworkRecord
            {
                Id = Guid.NewGuid().ToString(), Label = label, Cidr = planned.Cidr, Netmask = planned.Netmask, Gateway = planned.Gateway,
                Broadcast = planned.Broadcast, Dns1 = dns, Bridge = bridge, BridgeInterface = bridgeInterface, DhcpStart = planned.DhcpStart, CreatedAt = Now,
                ProjectId = projectId, Vlan = vlan,
            };
            await c.ExecuteAsync(Cmd(NetworkQueries.InsertNetwork, new
            {
                network.Id, network.Label, network.Cidr, network.Netmask, network.Gateway, network.Broadcast, network.Dns1,
                network.Bridge, network.BridgeInterface, network.DhcpStart, network.ProjectId, network.Vlan, Now = network.CreatedAt,
            }, cancellationToken, t)).ConfigureAwait(false);
            await c.ExecuteAsync(Cmd(NetworkQueries.InsertFixedIp,
                planned.Addresses.Select(a => new { a.Address, NetworkId = network.Id, a.Index, Reserved = a.Reserved ? 1 : 0 }), cancellationToken, t)).ConfigureAwait(false);
            created.Add(network);
        }
        await t.CommitAsync(cancellationToken).ConfigureAwait(false);
        return created;
    }

    /// <summary>Deletes the network with CIDR <paramref name="cidr"/> and its fixed IPs; refused while any is allocated.</summary>
    public async Task DeleteAsync(string cidr, CancellationToken cancellationToken)
    {
        await using var c = await db.OpenAsync(cancellationToken).ConfigureAwait(false);
        await using var t = await c.BeginTransactionAsync(cancellationToken).ConfigureAwait(false);
        var network = await c.QuerySingleOrDefaultAsync<NetworkRecord>(Cmd(NetworkQueries.NetworkByCidr, new { Cidr = cidr }, cancellationToken, t)).ConfigureAwait(false)
            ?? throw CloudException.NotFound($"Network {cidr} could not be found.");
        var allocated = await c.ExecuteScalarAsync<long>(Cmd(NetworkQueries.CountAllocated, new { NetworkId = network.Id }, cancellationToken, t)).ConfigureAwait(false);
        if (allocated > 0)
        {
            throw CloudException.Conflict($"Network {cidr} still has {allocated} allocated fixed IPs; terminate their instances first.");
        }
        await c.ExecuteAsync(Cmd(NetworkQueries.DeleteFixedIps, new { NetworkId = network.Id }, cancellationToken, t)).ConfigureAwait(false);
        await c.ExecuteAsync(Cmd(NetworkQueries.DeleteNetwork, new { network.Id }, cancellationToken, t)).ConfigureAwait(false);
        await t.CommitAsync(cancellationToken).ConfigureAwait(false);
    }

    /// <summary>
    /// Gives the instance the first free address of the first network that has one, with a new unique MAC; an instance
    /// that already holds an address keeps it (allocation is idempotent). Each attempt is a conditional UPDATE that
    /// only succeeds while the row is still free, so concurrent allocators never hand out one address twice.
    /// </summary>
    /// <returns>The network and the allocated row; null when no network exists.</returns>
    public Task<(NetworkRecord Network, FixedIp Ip)?> AllocateAsync(string instanceUuid, string hostname, CancellationToken cancellationToken) =>
        AllocateAsync(instanceUuid, hostname, null, cancellationToken);

    /// <summary>As above, from <paramref name="among"/> only (a project's network under VlanManager); null: every network.</summary>
    public async Task<(NetworkRecord Network, FixedIp Ip)?> AllocateAsync(string instanceUuid, string hostname, IReadOnlyList<NetworkRecord>? among, CancellationToken cancellationToken)
    {
        var networks = among ?? await ListAsync(cancellationToken).ConfigureAwait(false);
        if (networks.Count == 0)
        {
            return null;
        }
        for (var attempt = 0; attempt < AllocationAttempts; attempt++)
        {
            if (await OfInstanceAsync(instanceUuid, cancellationToken).ConfigureAwait(false) is { } held)
            {
                return (networks.Single(n => n.Id == held.NetworkId), held);
            }
            await using var c = await db.OpenAsync(cancellationToken).ConfigureAwait(false);
            string? address = null;
            foreach (var network in networks)
            {
                address = await c.ExecuteScalarAsync<string?>(Cmd(NetworkQueries.FirstFree, new { NetworkId = network.Id }, cancellationToken)).ConfigureAwait(false);
                if (address is not null)
                {
                    break;
                }
            }
            if (address is null)
            {
                throw CloudException.Conflict($"No fixed IP left in {string.Join(", ", networks.Select(n => n.Cidr))}.");
            }
            var mac = MacAddresses.New();
            if (await c.ExecuteScalarAsync<long>(Cmd(NetworkQueries.MacInUse, new { Mac = mac }, cancellationToken)).ConfigureAwait(false) > 0)
            {
                continue;
            }
            try
            {
                await c.ExecuteAsync(Cmd(NetworkQueries.Allocate, new { Address = address, InstanceUuid = instanceUuid, Mac = mac, Hostname = hostname, Now }, cancellationToken)).ConfigureAwait(false);
            }
            catch (DbException)
            {
                // The unique MAC index refused a MAC another allocator took between the check and the update: next attempt.
                continue;
            }
        }
        throw CloudException.Conflict($"Could not allocate a fixed IP for instance {instanceUuid} after {AllocationAttempts} attempts.");
    }

    /// <summary>Frees the instance's address; returns the row as it was, or null when it held none.</summary>
    public async Task<FixedIp?> DeallocateAsync(string instanceUuid, CancellationToken cancellationToken)
    {
        var ip = await OfInstanceAsync(instanceUuid, cancellationToken).ConfigureAwait(false);
        if (ip is null)
        {
            return null;
        }
        return await db.ExecuteAsync(NetworkQueries.Deallocate, new { ip.Address, InstanceUuid = instanceUuid, Now }, cancellationToken).ConfigureAwait(false) > 0 ? ip : null;
    }
}
