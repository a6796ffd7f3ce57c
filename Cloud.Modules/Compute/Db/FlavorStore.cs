using System.Globalization;
using Cloud.Modules.Kernel;
using Cloud.Modules.Kernel.Db;
using Dapper;
using static Cloud.Modules.Kernel.Db.Sql;

namespace Cloud.Modules.Compute.Db;

/// <summary>Runs the SQL of flavors, their extra specs and access lists for <see cref="FlavorApi"/>.</summary>
public sealed class FlavorStore(IDbConnectionFactory db)
{
    public Task<IReadOnlyList<Flavor>> ListAsync(CancellationToken cancellationToken) =>
        db.QueryListAsync<Flavor>(FlavorQueries.List, null, cancellationToken);

    /// <summary>The flavor whose API id is <paramref name="flavorId"/>; null when none.</summary>
    public Task<Flavor?> ByFlavorIdAsync(string flavorId, CancellationToken cancellationToken) =>
        db.QuerySingleOrDefaultAsync<Flavor>(FlavorQueries.ByFlavorId, new { FlavorId = flavorId }, cancellationToken);

    /// <summary>A flavor by API id, else by name (EC2's instance types and the operator's tool name flavors).</summary>
    public Task<Flavor?> FindAsync(string idOrName, CancellationToken cancellationToken) =>
        db.QuerySingleOrDefaultAsync<Flavor>(FlavorQueries.ByFlavorIdOrName, new { IdOrName = idOrName }, cancellationToken);

    /// <summary>
    /// Inserts a flavor whose name and API id are free, checked in the same transaction (Conflict otherwise). A numeric
    /// API id is also the row's number when that is free, so instances' <c>instance_type_id</c> reads as the API id.
    /// </summary>
    public async Task<Flavor> InsertAsync(FlavorSpec spec, string flavorId, DateTime now, CancellationToken cancellationToken)
    {
        await using var c = await db.OpenAsync(cancellationToken).ConfigureAwait(false);
        await using var t = await c.BeginTransactionAsync(cancellationToken).ConfigureAwait(false);
        if (await c.QuerySingleOrDefaultAsync<Flavor>(Cmd(FlavorQueries.ByName, new { spec.Name }, cancellationToken, t)).ConfigureAwait(false) is not null)
        {
            throw CloudException.Conflict($"Flavor with name {spec.Name} already exists.");
        }
        if (await c.QuerySingleOrDefaultAsync<Flavor>(Cmd(FlavorQueries.ByFlavorId, new { FlavorId = flavorId }, cancellationToken, t)).ConfigureAwait(false) is not null)
        {
            throw CloudException.Conflict($"Flavor with ID {flavorId} already exists.");
        }
        var id = long.TryParse(flavorId, NumberStyles.None, CultureInfo.InvariantCulture, out var number) && number is > 0 and < int.MaxValue
            && await c.QuerySingleOrDefaultAsync<Flavor>(Cmd(FlavorQueries.ById, new { Id = number }, cancellationToken, t)).ConfigureAwait(false) is null
                ? number
                : await c.ExecuteScalarAsync<long>(Cmd(FlavorQueries.NextId, null, cancellationToken, t)).ConfigureAwait(false);
        var flavor = new Flavor
        {
            Id = id, FlavorId = flavorId, Name = spec.Name, MemoryMb = spec.MemoryMb, Vcpus = spec.Vcpus, RootGb = spec.RootGb, Swap = spec.Swap,
            EphemeralGb = spec.EphemeralGb, RxtxFactor = spec.RxtxFactor, IsPublic = spec.IsPublic, Description = spec.Description, CreatedAt = now,
        };
        await c.ExecuteAsync(Cmd(FlavorQueries.Insert, flavor, cancellationToken, t)).ConfigureAwait(false);
        await t.CommitAsync(cancellationToken).ConfigureAwait(false);
        return flavor;
    }

    /// <summary>The next free row number, the API id the operator's tool gives a flavor created without one.</summary>
    public async Task<long> NextIdAsync(CancellationToken cancellationToken) =>
        await db.ExecuteScalarAsync<long>(FlavorQueries.NextId, null, cancellationToken).ConfigureAwait(false);

    public Task UpdateDescriptionAsync(long id, string? description, CancellationToken cancellationToken) =>
        db.ExecuteAsync(FlavorQueries.UpdateDescription, new { Id = id, Description = description }, cancellationToken);

    /// <summary>Deletes the flavor with its extra specs and access list, together.</summary>
    public Task DeleteAsync(long id, CancellationToken cancellationToken) =>
        db.InTransactionAsync((c, t) => c.ExecuteAsync(Cmd(FlavorQueries.Delete, new { Id = id }, cancellationToken, t)), cancellationToken);

    public async Task<IReadOnlyDictionary<string, string>> ExtraSpecsAsync(long id, CancellationToken cancellationToken) =>
        (await db.QueryListAsync<ExtraSpecRow>(FlavorQueries.ExtraSpecs, new { Id = id }, cancellationToken).ConfigureAwait(false))
        .ToDictionary(r => r.Key, r => r.Value, StringComparer.Ordinal);

    /// <summary>Sets each key (replacing its value when present), in one transaction.</summary>
    public Task SetExtraSpecsAsync(long id, IReadOnlyDictionary<string, string> specs, CancellationToken cancellationToken) =>
        db.InTransactionAsync(async (c, t) =>
        {
            foreach (var (key, value) in specs)
            {
                var args = new { Id = id, Key = key, Value = value };
                if (await c.ExecuteAsync(Cmd(FlavorQueries.UpdateExtraSpec, args, cancellationToken, t)).ConfigureAwait(false) == 0)
                {
                    await c.ExecuteAsync(Cmd(FlavorQueries.InsertExtraSpec, args, cancellationToken, t)).ConfigureAwait(false);
                }
            }
        }, cancellationToken);

    /// <summary>Deletes one key; false when the flavor had none.</summary>
    public async Task<bool> DeleteExtraSpecAsync(long id, string key, CancellationToken cancellationToken) =>
        await db.ExecuteAsync(FlavorQueries.DeleteExtraSpec, new { Id = id, Key = key }, cancellationToken).ConfigureAwait(false) > 0;

    public Task<IReadOnlyList<string>> ProjectsAsync(long id, CancellationToken cancellationToken) =>
        db.QueryListAsync<string>(FlavorQueries.Projects, new { Id = id }, cancellationToken);

    /// <summary>The row numbers of the private flavors shared with <paramref name="projectId"/>.</summary>
    public Task<IReadOnlyList<long>> FlavorsOfProjectAsync(string projectId, CancellationToken cancellationToken) =>
        db.QueryListAsync<long>(FlavorQueries.FlavorsOfProject, new { ProjectId = projectId }, cancellationToken);

    /// <summary>Shares the flavor with a project; false when it already was.</summary>
    public async Task<bool> AddProjectAsync(long id, string projectId, CancellationToken cancellationToken)
    {
        var added = false;
        await db.InTransactionAsync(async (c, t) =>
        {
            var args = new { Id = id, ProjectId = projectId };
            if (await c.ExecuteScalarAsync<long>(Cmd(FlavorQueries.HasProject, args, cancellationToken, t)).ConfigureAwait(false) == 0)
            {
                await c.ExecuteAsync(Cmd(FlavorQueries.InsertProject, args, cancellationToken, t)).ConfigureAwait(false);
                added = true;
            }
        }, cancellationToken).ConfigureAwait(false);
        return added;
    }

    /// <summary>Stops sharing the flavor with a project; false when it was not.</summary>
    public async Task<bool> RemoveProjectAsync(long id, string projectId, CancellationToken cancellationToken) =>
        await db.ExecuteAsync(FlavorQueries.DeleteProject, new { Id = id, ProjectId = projectId }, cancellationToken).ConfigureAwait(false) > 0;

    private sealed class ExtraSpecRow
    {
        public string Key { get; init; } = "";

        public string Value { get; init; } = "";
    }
}
