using System.Globalization;
using Cloud.Modules.Identity;
using Cloud.Modules.Kernel;
using Cloud.Modules.Kernel.Auth;
using Cloud.Modules.Network.Db;
using Microsoft.Extensions.Options;

namespace Cloud.Modules.Network;

/// <summary>
/// Floating IPs (nova-network's floating_ips): the operator's ranges (<c>manage floating create|list|delete</c>),
/// and a project's addresses: allocate (quota <c>floating_ips</c>), associate with an instance's fixed IP (moving it
/// when it was associated elsewhere), disassociate, release. The database decides; every change then tells the network
/// host(s) concerned to bring their NAT in line (<see cref="FloatingIpSync"/>). A project sees and touches only its own
/// addresses: another project's id is not found, another project's address is not authorized, as in nova.
/// </summary>
public sealed class FloatingIpApi(FloatingIpStore store, NetworkStore networks, IdentityApi identity, FloatingIpSync sync, IOptions<NetworkFlags> flags)
{
    /// <summary>Adds a range's addresses to <paramref name="pool"/> (default <c>--default_floating_pool</c>) on <paramref name="interface"/> (default <c>--public_interface</c>).</summary>
    public async Task<IReadOnlyList<string>> CreateRangeAsync(string range, string? pool, string? @interface, CancellationToken cancellationToken)
    {
        var addresses = FloatingRange.Addresses(range);
        pool = string.IsNullOrEmpty(pool) ? flags.Value.DefaultFloatingPool : pool;
        @interface = string.IsNullOrEmpty(@interface) ? flags.Value.PublicInterface : @interface;
        if (pool.Length > 255 || pool.Any(char.IsControl))
        {
            throw CloudException.Invalid("--pool must be at most 255 printable characters.");
        }
        if (@interface.Length is 0 or > 15 || @interface.Any(c => char.IsWhiteSpace(c) || c is '/' or ','))
        {
            throw CloudException.Invalid($"--interface={@interface}: a Linux interface name has 1 to 15 characters, without spaces, '/' or ','.");
        }
        foreach (var network in await networks.ListAsync(cancellationToken).ConfigureAwait(false))
        {
            var (first, prefix) = NetworkPlan.ParseCidr(network.Cidr);
            var mask = uint.MaxValue << (32 - prefix);
            if (addresses.FirstOrDefault(a => (NetworkPlan.TryParseIPv4(a)!.Value & mask) == first) is { } clash)
            {
                throw CloudException.Conflict($"Floating ip {clash} lies in the fixed network {network.Cidr} ({network.Label}).");
            }
        }
        await store.CreateAsync(addresses, pool, @interface, cancellationToken).ConfigureAwait(false);
        return addresses;
    }

    /// <summary>Deletes a range's addresses, also those allocated to projects (as nova-manage); refused while one is associated.</summary>
    public Task<int> DeleteRangeAsync(string range, CancellationToken cancellationToken) =>
        store.DeleteAsync(FloatingRange.Addresses(range), cancellationToken);

    /// <summary>Every floating IP (the operator's list).</summary>
    public Task<IReadOnlyList<FloatingAddress>> ListAllAsync(CancellationToken cancellationToken) => store.AllAsync(cancellationToken);

    /// <summary>The pools' names (os-floating-ip-pools).</summary>
    public async Task<IReadOnlyList<string>> PoolsAsync(RequestContext context, CancellationToken cancellationToken)
    {
        Policy.RequireAuthenticated(context);
        return await store.PoolsAsync(cancellationToken).ConfigureAwait(false);
    }

    /// <summary>The caller's project's floating IPs.</summary>
    public async Task<IReadOnlyList<FloatingAddress>> ListAsync(RequestContext context, CancellationToken cancellationToken) =>
        await store.OfProjectAsync(Policy.RequireScoped(context), cancellationToken).ConfigureAwait(false);

    /// <summary>One of the caller's project's floating IPs by id; another project's is not found.</summary>
    public async Task<FloatingAddress> GetAsync(RequestContext context, long id, CancellationToken cancellationToken)
    {
        var projectId = Policy.RequireScoped(context);
        var row = await store.ByIdAsync(id, cancellationToken).ConfigureAwait(false);
        return row is not null && (row.ProjectId == projectId || (context.IsAdmin && row.ProjectId is not null))
            ? row
            : throw CloudException.NotFound(string.Create(CultureInfo.InvariantCulture, $"Floating IP not found for ID {id}"));
    }

    /// <summary>One of the caller's project's floating IPs by address: unknown is not found, anyone else's is not authorized (nova).</summary>
    public async Task<FloatingAddress> OwnedAsync(RequestContext context, string address, CancellationToken cancellationToken)
    {
        var projectId = Policy.RequireScoped(context);
        var row = await store.ByAddressAsync(address, cancellationToken).ConfigureAwait(false)
            ?? throw CloudException.NotFound($"Floating IP not found for address {address}.");
        return row.ProjectId == projectId || (context.IsAdmin && row.ProjectId is not null)
            ? row
            : throw CloudException.Forbidden($"Address {address} is not allocated to your project.");
    }

    /// <summary>Gives the caller's project a free address of <paramref name="pool"/> (default <c>--default_floating_pool</c>).</summary>
    public async Task<FloatingAddress> AllocateAsync(RequestContext context, string? pool, CancellationToken cancellationToken)
    {
        var projectId = Policy.RequireScoped(context);
        pool ??= flags.Value.DefaultFloatingPool;
        if (!await store.PoolExistsAsync(pool, cancellationToken).ConfigureAwait(false))
        {
            throw CloudException.NotFound($"Floating IP pool not found: {pool}.");
        }
        var limits = await identity.QuotasOfProjectAsync(projectId, cancellationToken).ConfigureAwait(false);
        var limit = limits.TryGetValue("floating_ips", out var l) ? l : -1;
        if (limit >= 0 && await store.CountOfProjectAsync(projectId, cancellationToken).ConfigureAwait(false) + 1 > limit)
        {
            throw CloudException.Forbidden("Maximum number of floating ips exceeded");
        }
        return await store.AllocateAsync(projectId, pool, autoAssigned: false, cancellationToken).ConfigureAwait(false)
            ?? throw CloudException.NotFound($"No more floating ips in pool {pool}.");
    }

    /// <summary>Gives the caller's address back to the pool, disassociating it first.</summary>
    public async Task ReleaseAsync(RequestContext context, string address, CancellationToken cancellationToken)
    {
        var row = await OwnedAsync(context, address, cancellationToken).ConfigureAwait(false);
        await store.ReleaseAsync(row.Id, cancellationToken).ConfigureAwait(false);
        await sync.HostsAsync(context, [row.Host], cancellationToken).ConfigureAwait(false);
    }

    /// <summary>
    /// Associates the caller's address with the instance's fixed IP (<paramref name="fixedAddress"/>, or its first). The
    /// caller has checked that the instance is its own. An address associated elsewhere moves; associated here already, nothing changes.
    /// </summary>
    public async Task<FloatingAddress> AssociateAsync(RequestContext context, string address, string instanceUuid, string? fixedAddress, CancellationToken cancellationToken)
    {
        var row = await OwnedAsync(context, address, cancellationToken).ConfigureAwait(false);
        return await AssociateRowAsync(context, row, instanceUuid, fixedAddress, cancellationToken).ConfigureAwait(false);
    }

    private async Task<FloatingAddress> AssociateRowAsync(RequestContext context, FloatingAddress row, string instanceUuid, string? fixedAddress, CancellationToken cancellationToken)
    {
        var fixedIp = await networks.OfInstanceAsync(instanceUuid, cancellationToken).ConfigureAwait(false)
            ?? throw CloudException.Invalid($"Instance {instanceUuid} has no fixed IP to associate a floating IP with.");
        if (fixedAddress is not null && fixedAddress != fixedIp.Address)
        {
            throw CloudException.Invalid($"Fixed IP {fixedAddress} does not belong to instance {instanceUuid}.");
        }
        if (row.FixedAddress == fixedIp.Address && row.InstanceUuid == instanceUuid)
        {
            return row;
        }
        var network = await networks.FindAsync(fixedIp.NetworkId, cancellationToken).ConfigureAwait(false);
        var host = network?.Host ?? throw CloudException.Conflict($"No network host serves {network?.Cidr ?? fixedIp.NetworkId} yet; start a network role.");
        await store.AssociateAsync(row.Id, fixedIp.Address, instanceUuid, host, cancellationToken).ConfigureAwait(false);
        await sync.HostsAsync(context, [row.Host, host], cancellationToken).ConfigureAwait(false);
        return await store.ByIdAsync(row.Id, cancellationToken).ConfigureAwait(false) ?? row;
    }

    /// <summary>
    /// Disassociates the caller's address. With <paramref name="instanceUuid"/> (removeFloatingIp) it must be associated
    /// with that instance (409 otherwise, as nova).
    /// </summary>
    public async Task DisassociateAsync(RequestContext context, string address, string? instanceUuid, CancellationToken cancellationToken)
    {
        var row = await OwnedAsync(context, address, cancellationToken).ConfigureAwait(false);
        if (instanceUuid is not null && row.InstanceUuid != instanceUuid)
        {
            throw CloudException.Conflict($"Floating IP {address} is not associated with instance {instanceUuid}.");
        }
        if (row.FixedAddress is null)
        {
            throw CloudException.Invalid($"Floating IP {address} is not associated.");
        }
        await store.DisassociateAsync(row.Id, cancellationToken).ConfigureAwait(false);
        await sync.HostsAsync(context, [row.Host], cancellationToken).ConfigureAwait(false);
    }

    /// <summary>The floating IPs associated with these instances (for the APIs' address views and the metadata service).</summary>
    public async Task<IReadOnlyList<FloatingAddress>> OfInstancesAsync(IReadOnlyList<string> instanceUuids, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(instanceUuids);
        return instanceUuids.Count == 0 ? [] : await store.OfInstancesAsync(instanceUuids, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>
    /// <c>--auto_assign_floating_ip</c>: gives a new instance a floating IP of the default pool, outside the quota (nova's
    /// auto_assigned). A pool with none left leaves the instance without one (logged by the caller).
    /// </summary>
    public async Task<FloatingAddress?> AutoAssignAsync(string projectId, string instanceUuid, CancellationToken cancellationToken)
    {
        if (!flags.Value.AutoAssignFloatingIp || (await store.OfInstancesAsync([instanceUuid], cancellationToken).ConfigureAwait(false)).Count > 0)
        {
            return null;
        }
        var row = await store.AllocateAsync(projectId, flags.Value.DefaultFloatingPool, autoAssigned: true, cancellationToken).ConfigureAwait(false);
        if (row is null)
        {
            return null;
        }
        return await AssociateRowAsync(RequestContext.Service(), row, instanceUuid, null, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>An instance going away: its floating IPs are disassociated, and released when they were auto-assigned.</summary>
    public async Task ForgetInstanceAsync(string instanceUuid, CancellationToken cancellationToken)
    {
        var rows = await store.OfInstancesAsync([instanceUuid], cancellationToken).ConfigureAwait(false);
        foreach (var row in rows)
        {
            await (row.AutoAssigned ? store.ReleaseAsync(row.Id, cancellationToken) : store.DisassociateAsync(row.Id, cancellationToken)).ConfigureAwait(false);
        }
        await sync.HostsAsync(RequestContext.Service(), [.. rows.Select(r => r.Host)], cancellationToken).ConfigureAwait(false);
    }
}
