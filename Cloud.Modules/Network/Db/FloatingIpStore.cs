using Cloud.Modules.Kernel;
using Cloud.Modules.Kernel.Db;
using Dapper;
using static Cloud.Modules.Kernel.Db.Sql;

namespace Cloud.Modules.Network.Db;

/// <summary>The floating_ips rows: ranges the operator adds, addresses projects allocate and associate.</summary>
public sealed class FloatingIpStore(IDbConnectionFactory db, TimeProvider clock)
{
    private const int AllocationAttempts = 16;

    private DateTime Now => clock.GetUtcNow().UtcDateTime;

    public async Task<IReadOnlyList<FloatingAddress>> AllAsync(CancellationToken cancellationToken) =>
        await db.QueryListAsync<FloatingAddress>(FloatingIpQueries.All, null, cancellationToken).ConfigureAwait(false);

    public async Task<IReadOnlyList<FloatingAddress>> OfProjectAsync(string projectId, CancellationToken cancellationToken) =>
        await db.QueryListAsync<FloatingAddress>(FloatingIpQueries.OfProject, new { ProjectId = projectId }, cancellationToken).ConfigureAwait(false);

    public Task<FloatingAddress?> ByIdAsync(long id, CancellationToken cancellationToken) =>
        db.QuerySingleOrDefaultAsync<FloatingAddress>(FloatingIpQueries.ById, new { Id = id }, cancellationToken);

    public Task<FloatingAddress?> ByAddressAsync(string address, CancellationToken cancellationToken) =>
        db.QuerySingleOrDefaultAsync<FloatingAddress>(FloatingIpQueries.ByAddress, new { Address = address }, cancellationToken);

    public async Task<IReadOnlyList<FloatingAddress>> OfInstancesAsync(IReadOnlyList<string> instanceUuids, CancellationToken cancellationToken) =>
        await db.QueryListAsync<FloatingAddress>(FloatingIpQueries.OfInstances, new { Uuids = instanceUuids }, cancellationToken).ConfigureAwait(false);

    /// <summary>The associated addresses whose NAT lives on <paramref name="host"/>.</summary>
    public async Task<IReadOnlyList<FloatingAddress>> AssociatedOnHostAsync(string host, CancellationToken cancellationToken) =>
        await db.QueryListAsync<FloatingAddress>(FloatingIpQueries.AssociatedOnHost, new { Host = host }, cancellationToken).ConfigureAwait(false);

    public async Task<IReadOnlyList<string>> PoolsAsync(CancellationToken cancellationToken) =>
        await db.QueryListAsync<string>(FloatingIpQueries.Pools, null, cancellationToken).ConfigureAwait(false);

    public async Task<bool> PoolExistsAsync(string pool, CancellationToken cancellationToken) =>
        await db.ExecuteScalarAsync<long>(FloatingIpQueries.CountOfPool, new { Pool = pool }, cancellationToken).ConfigureAwait(false) > 0;

    /// <summary>Floating IPs of the project that count against its quota.</summary>
    public async Task<long> CountOfProjectAsync(string projectId, CancellationToken cancellationToken) =>
        await db.ExecuteScalarAsync<long>(FloatingIpQueries.CountOfProject, new { ProjectId = projectId }, cancellationToken).ConfigureAwait(false);

    /// <summary>Adds the addresses in one transaction; refuses (nothing added) when any exists already (nova's FloatingIpExists).</summary>
    public async Task CreateAsync(IReadOnlyList<string> addresses, string pool, string @interface, CancellationToken cancellationToken)
    {
        await db.InTransactionAsync(async (c, t) =>
        {
            var existing = (await c.QueryAsync<FloatingAddress>(Cmd(FloatingIpQueries.InAddresses, new { Addresses = addresses }, cancellationToken, t)).ConfigureAwait(false)).FirstOrDefault();
            if (existing is not null)
            {
                throw CloudException.Conflict($"Floating ip {existing.Address} already exists (pool {existing.Pool}).");
            }
            var next = await c.ExecuteScalarAsync<long>(Cmd(FloatingIpQueries.MaxId, null, cancellationToken, t)).ConfigureAwait(false) + 1;
            await c.ExecuteAsync(Cmd(FloatingIpQueries.Insert,
                addresses.Select((a, i) => new { Id = next + i, Address = a, Pool = pool, Interface = @interface, Now }), cancellationToken, t)).ConfigureAwait(false);
        }, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Deletes the addresses in one transaction; refused (nothing deleted) when none exists or one is associated.</summary>
    public async Task<int> DeleteAsync(IReadOnlyList<string> addresses, CancellationToken cancellationToken)
    {
        var deleted = 0;
        await db.InTransactionAsync(async (c, t) =>
        {
            var rows = (await c.QueryAsync<FloatingAddress>(Cmd(FloatingIpQueries.InAddresses, new { Addresses = addresses }, cancellationToken, t)).ConfigureAwait(false)).AsList();
            if (rows.Count == 0)
            {
                throw CloudException.NotFound("No floating IP of that range exists.");
            }
            if (rows.FirstOrDefault(r => r.FixedAddress is not null) is { } associated)
            {
                throw CloudException.Conflict($"Floating ip {associated.Address} is associated with {associated.FixedAddress} (instance {associated.InstanceUuid}); disassociate it first.");
            }
            deleted = await c.ExecuteAsync(Cmd(FloatingIpQueries.Delete, new { Addresses = addresses }, cancellationToken, t)).ConfigureAwait(false);
        }, cancellationToken).ConfigureAwait(false);
        return deleted;
    }

    /// <summary>Gives the project the first free address of the pool; null when the pool has none left.</summary>
    public async Task<FloatingAddress?> AllocateAsync(string projectId, string pool, bool autoAssigned, CancellationToken cancellationToken)
    {
        for (var attempt = 0; attempt < AllocationAttempts; attempt++)
        {
            var id = await db.ExecuteScalarAsync<long?>(FloatingIpQueries.FirstFree, new { Pool = pool }, cancellationToken).ConfigureAwait(false);
            if (id is null)
            {
                return null;
            }
            if (await db.ExecuteAsync(FloatingIpQueries.Allocate, new { Id = id, ProjectId = projectId, AutoAssigned = autoAssigned ? 1 : 0, Now }, cancellationToken).ConfigureAwait(false) == 1)
            {
                return await ByIdAsync(id.Value, cancellationToken).ConfigureAwait(false);
            }
        }
        throw CloudException.Conflict($"Could not allocate a floating IP from pool {pool} after {AllocationAttempts} attempts.");
    }

    public Task AssociateAsync(long id, string fixedAddress, string instanceUuid, string host, CancellationToken cancellationToken) =>
        db.ExecuteAsync(FloatingIpQueries.Associate, new { Id = id, FixedAddress = fixedAddress, InstanceUuid = instanceUuid, Host = host, Now }, cancellationToken);

    public Task DisassociateAsync(long id, CancellationToken cancellationToken) =>
        db.ExecuteAsync(FloatingIpQueries.Disassociate, new { Id = id, Now }, cancellationToken);

    public Task ReleaseAsync(long id, CancellationToken cancellationToken) =>
        db.ExecuteAsync(FloatingIpQueries.Release, new { Id = id, Now }, cancellationToken);
}
