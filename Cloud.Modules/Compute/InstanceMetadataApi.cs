using Cloud.Modules.Compute.Db;
using Cloud.Modules.Kernel;
using Cloud.Modules.Kernel.Auth;
using Cloud.Modules.Kernel.Db;
using Dapper;
using static Cloud.Modules.Kernel.Db.Sql;

namespace Cloud.Modules.Compute;

/// <summary>
/// What users may change on a server without a host being involved: its display name and its metadata
/// (nova's server update and server metadata APIs). The same rules as <see cref="ComputeApi"/> find the instance.
/// </summary>
public sealed class InstanceMetadataApi(IDbConnectionFactory db, ComputeApi compute, TimeProvider clock)
{
    public async Task<Instance> RenameAsync(RequestContext context, string id, string name, CancellationToken cancellationToken)
    {
        ServerLimits.CheckName(name);
        var instance = await compute.GetAsync(context, id, cancellationToken).ConfigureAwait(false);
        await using (var c = await db.OpenAsync(cancellationToken).ConfigureAwait(false))
        {
            await c.ExecuteAsync(Cmd(InstanceMetadataQueries.Rename, new { instance.Uuid, DisplayName = name, Now = clock.GetUtcNow().UtcDateTime }, cancellationToken)).ConfigureAwait(false);
        }
        return await compute.GetAsync(context, instance.Uuid, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>The fixed IPs of the instances, by instance (instances the caller may already see; one query).</summary>
    public async Task<ILookup<string, FixedAddress>> AddressesAsync(IEnumerable<Instance> instances, CancellationToken cancellationToken)
    {
        var uuids = instances.Select(i => i.Uuid).ToList();
        if (uuids.Count == 0)
        {
            return Array.Empty<FixedAddress>().ToLookup(a => a.InstanceUuid);
        }
        await using var c = await db.OpenAsync(cancellationToken).ConfigureAwait(false);
        var rows = await c.QueryAsync<FixedAddress>(Cmd(InstanceQueries.FixedAddresses, new { Uuids = uuids }, cancellationToken)).ConfigureAwait(false);
        return rows.ToLookup(a => a.InstanceUuid, StringComparer.Ordinal);
    }

    /// <summary>Sets metadata items: <paramref name="replace"/> drops the keys not given (PUT), else merges (POST). Returns all items.</summary>
    public async Task<IReadOnlyDictionary<string, string>> SetAsync(RequestContext context, string id, IReadOnlyDictionary<string, string> items, bool replace, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(items);
        ServerLimits.CheckMetadata(items);
        var instance = await compute.GetAsync(context, id, cancellationToken).ConfigureAwait(false);
        await using (var c = await db.OpenAsync(cancellationToken).ConfigureAwait(false))
        {
            await using var t = await c.BeginTransactionAsync(cancellationToken).ConfigureAwait(false);
            if (replace)
            {
                await c.ExecuteAsync(Cmd(InstanceMetadataQueries.DeleteAllMetadata, new { instance.Uuid }, cancellationToken, t)).ConfigureAwait(false);
            }
            foreach (var (key, value) in items)
            {
                await c.ExecuteAsync(Cmd(InstanceMetadataQueries.DeleteMetadataKey, new { instance.Uuid, Key = key }, cancellationToken, t)).ConfigureAwait(false);
                await c.ExecuteAsync(Cmd(InstanceQueries.InsertMetadata, new { instance.Uuid, Key = key, Value = value }, cancellationToken, t)).ConfigureAwait(false);
            }
            await t.CommitAsync(cancellationToken).ConfigureAwait(false);
        }
        return await compute.GetMetadataAsync(context, instance.Uuid, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>
    /// The metadata and security group names of many instances in a few queries (the server detail list), for
    /// instances the caller already holds from <see cref="ComputeApi.ListAsync(Kernel.Auth.RequestContext, InstanceListQuery, CancellationToken)"/>, which checked the project.
    /// </summary>
    public async Task<(ILookup<string, (string Key, string Value)> Metadata, ILookup<string, string> Groups)> OfAsync(IReadOnlyList<Instance> instances, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(instances);
        var metadata = new List<InstanceValue>();
        var groups = new List<InstanceValue>();
        await using var c = await db.OpenAsync(cancellationToken).ConfigureAwait(false);
        foreach (var chunk in instances.Select(i => i.Uuid).Chunk(500))
        {
            metadata.AddRange(await c.QueryAsync<InstanceValue>(Cmd(InstanceMetadataQueries.MetadataOf, new { Uuids = chunk }, cancellationToken)).ConfigureAwait(false));
            groups.AddRange(await c.QueryAsync<InstanceValue>(Cmd(InstanceMetadataQueries.SecurityGroupNamesOf, new { Uuids = chunk }, cancellationToken)).ConfigureAwait(false));
        }
        return (metadata.ToLookup(m => m.InstanceUuid, m => (m.Key, m.Value)), groups.OrderBy(g => g.Value, StringComparer.Ordinal).ToLookup(g => g.InstanceUuid, g => g.Value));
    }

    private sealed class InstanceValue
    {
        public string InstanceUuid { get; init; } = "";

        public string Key { get; init; } = "";

        public string Value { get; init; } = "";
    }
}
