using Cloud.Modules.Compute.Db;
using Cloud.Modules.Kernel;
using Cloud.Modules.Kernel.Auth;
using Cloud.Modules.Kernel.Db;
using Dapper;
using static Cloud.Modules.Kernel.Db.Sql;

namespace Cloud.Modules.Compute;

/// <summary>Flavors (instance types): everyone lists them, operators create and delete them (<c>cloudd manage flavor</c>).</summary>
public sealed class FlavorApi(IDbConnectionFactory db, TimeProvider clock)
{
    public async Task<IReadOnlyList<Flavor>> ListAsync(CancellationToken cancellationToken)
    {
        await using var c = await db.OpenAsync(cancellationToken).ConfigureAwait(false);
        return (await c.QueryAsync<Flavor>(Cmd(FlavorQueries.List, null, cancellationToken)).ConfigureAwait(false)).AsList();
    }

    /// <summary>A flavor by id (<c>"1"</c>) or by name (<c>m1.tiny</c>), as the APIs and EC2's InstanceType name it.</summary>
    public async Task<Flavor> GetAsync(string idOrName, CancellationToken cancellationToken) =>
        await FindAsync(idOrName, cancellationToken).ConfigureAwait(false)
        ?? throw CloudException.NotFound($"Flavor {idOrName} could not be found.");

    public async Task<Flavor?> FindAsync(string idOrName, CancellationToken cancellationToken)
    {
        await using var c = await db.OpenAsync(cancellationToken).ConfigureAwait(false);
        return await c.QuerySingleOrDefaultAsync<Flavor>(Cmd(FlavorQueries.ByName, new { Name = idOrName }, cancellationToken)).ConfigureAwait(false)
            ?? (long.TryParse(idOrName, out var id)
                ? await c.QuerySingleOrDefaultAsync<Flavor>(Cmd(FlavorQueries.ById, new { Id = id }, cancellationToken)).ConfigureAwait(false)
                : null);
    }

    /// <summary>Creates a flavor; <paramref name="flavorId"/> null takes the next free id.</summary>
    public async Task<Flavor> CreateAsync(RequestContext context, string name, long memoryMb, long vcpus, long rootGb, long? flavorId, CancellationToken cancellationToken)
    {
        RequireAdmin(context);
        if (string.IsNullOrWhiteSpace(name) || name.Length > 255)
        {
            throw CloudException.Invalid("Flavor name must be 1 to 255 characters.");
        }
        if (memoryMb < 1 || vcpus < 1 || rootGb < 0 || flavorId < 1)
        {
            throw CloudException.Invalid("Flavor memory_mb and vcpus must be positive, root_gb and the flavor id not negative.");
        }
        await using var c = await db.OpenAsync(cancellationToken).ConfigureAwait(false);
        await using var t = await c.BeginTransactionAsync(cancellationToken).ConfigureAwait(false);
        if (await c.QuerySingleOrDefaultAsync<Flavor>(Cmd(FlavorQueries.ByName, new { Name = name }, cancellationToken, t)).ConfigureAwait(false) is not null)
        {
            throw CloudException.Conflict($"Flavor with name {name} already exists.");
        }
        var id = flavorId ?? await c.ExecuteScalarAsync<long>(Cmd(FlavorQueries.NextId, null, cancellationToken, t)).ConfigureAwait(false);
        if (await c.QuerySingleOrDefaultAsync<Flavor>(Cmd(FlavorQueries.ById, new { Id = id }, cancellationToken, t)).ConfigureAwait(false) is not null)
        {
            throw CloudException.Conflict($"Flavor with ID {id} already exists.");
        }
        var flavor = new Flavor { Id = id, Name = name, MemoryMb = memoryMb, Vcpus = vcpus, RootGb = rootGb, CreatedAt = clock.GetUtcNow().UtcDateTime };
        await c.ExecuteAsync(Cmd(FlavorQueries.Insert, new { flavor.Id, flavor.Name, flavor.MemoryMb, flavor.Vcpus, flavor.RootGb, Now = flavor.CreatedAt }, cancellationToken, t)).ConfigureAwait(false);
        await t.CommitAsync(cancellationToken).ConfigureAwait(false);
        return flavor;
    }

    /// <summary>Deletes a flavor by name or id; instances of it keep their copied resources.</summary>
    public async Task DeleteAsync(RequestContext context, string idOrName, CancellationToken cancellationToken)
    {
        RequireAdmin(context);
        var flavor = await GetAsync(idOrName, cancellationToken).ConfigureAwait(false);
        await using var c = await db.OpenAsync(cancellationToken).ConfigureAwait(false);
        await c.ExecuteAsync(Cmd(FlavorQueries.Delete, new { flavor.Id }, cancellationToken)).ConfigureAwait(false);
    }

    // The operator's own tool acts with the service context (admin, no user), which Policy.RequireAdmin refuses.
    private static void RequireAdmin(RequestContext context)
    {
        if (!context.IsAdmin)
        {
            Policy.RequireAdmin(context);
        }
    }
}
