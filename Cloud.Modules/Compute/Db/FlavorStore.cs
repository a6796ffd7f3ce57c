using Cloud.Modules.Kernel;
using Cloud.Modules.Kernel.Db;
using Dapper;
using static Cloud.Modules.Kernel.Db.Sql;

namespace Cloud.Modules.Compute.Db;

/// <summary>Runs the SQL of flavors for <see cref="FlavorApi"/>.</summary>
public sealed class FlavorStore(IDbConnectionFactory db)
{
    public Task<IReadOnlyList<Flavor>> ListAsync(CancellationToken cancellationToken) =>
        db.QueryListAsync<Flavor>(FlavorQueries.List, null, cancellationToken);

    /// <summary>A flavor by name, else by id when <paramref name="idOrName"/> is a number.</summary>
    public async Task<Flavor?> FindAsync(string idOrName, CancellationToken cancellationToken)
    {
        await using var c = await db.OpenAsync(cancellationToken).ConfigureAwait(false);
        return await c.QuerySingleOrDefaultAsync<Flavor>(Cmd(FlavorQueries.ByName, new { Name = idOrName }, cancellationToken)).ConfigureAwait(false)
            ?? (long.TryParse(idOrName, out var id)
                ? await c.QuerySingleOrDefaultAsync<Flavor>(Cmd(FlavorQueries.ById, new { Id = id }, cancellationToken)).ConfigureAwait(false)
                : null);
    }

    /// <summary>
    /// Inserts a flavor whose name and id are free, checked in the same transaction (Conflict otherwise);
    /// <paramref name="flavorId"/> null takes the next free id.
    /// </summary>
    public async Task<Flavor> InsertAsync(string name, long memoryMb, long vcpus, long rootGb, long? flavorId, DateTime now, CancellationToken cancellationToken)
    {
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
        var flavor = new Flavor { Id = id, Name = name, MemoryMb = memoryMb, Vcpus = vcpus, RootGb = rootGb, CreatedAt = now };
        await c.ExecuteAsync(Cmd(FlavorQueries.Insert, new { flavor.Id, flavor.Name, flavor.MemoryMb, flavor.Vcpus, flavor.RootGb, Now = flavor.CreatedAt }, cancellationToken, t)).ConfigureAwait(false);
        await t.CommitAsync(cancellationToken).ConfigureAwait(false);
        return flavor;
    }

    public Task DeleteAsync(long id, CancellationToken cancellationToken) =>
        db.ExecuteAsync(FlavorQueries.Delete, new { Id = id }, cancellationToken);
}
