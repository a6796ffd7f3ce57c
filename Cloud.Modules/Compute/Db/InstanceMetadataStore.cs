using System.Data.Common;
using Cloud.Modules.Kernel.Db;
using Dapper;
using static Cloud.Modules.Kernel.Db.Sql;

namespace Cloud.Modules.Compute.Db;

/// <summary>Runs the SQL of instances' names, metadata and addresses for <see cref="InstanceMetadataApi"/>.</summary>
public sealed class InstanceMetadataStore(IDbConnectionFactory db, TimeProvider clock)
{
    /// <summary>Applies a server update (fields left null keep their values).</summary>
    public Task UpdateAsync(string uuid, ServerUpdate update, CancellationToken cancellationToken) =>
        db.ExecuteAsync(InstanceMetadataQueries.Update, new
        {
            Uuid = uuid,
            update.Name,
            SetDescription = update.SetDescription ? 1 : 0,
            update.Description,
            update.AccessIpV4,
            update.AccessIpV6,
            Now = clock.GetUtcNow().UtcDateTime,
        }, cancellationToken);

    /// <summary>Sets metadata items in one transaction: <paramref name="replace"/> first drops every item.</summary>
    public Task SetAsync(string uuid, IReadOnlyDictionary<string, string> items, bool replace, CancellationToken cancellationToken) =>
        db.InTransactionAsync(async (c, t) =>
        {
            if (replace)
            {
                await c.ExecuteAsync(Cmd(InstanceMetadataQueries.DeleteAllMetadata, new { Uuid = uuid }, cancellationToken, t)).ConfigureAwait(false);
            }
            foreach (var (key, value) in items)
            {
                await c.ExecuteAsync(Cmd(InstanceMetadataQueries.DeleteMetadataKey, new { Uuid = uuid, Key = key }, cancellationToken, t)).ConfigureAwait(false);
                await c.ExecuteAsync(Cmd(InstanceQueries.InsertMetadata, new { Uuid = uuid, Key = key, Value = value }, cancellationToken, t)).ConfigureAwait(false);
            }
        }, cancellationToken);

    /// <summary>The metadata and security group names of many instances, all of them in one query on SQLite (<see cref="KeyChunks"/>).</summary>
    public async Task<(ILookup<string, (string Key, string Value)> Metadata, ILookup<string, string> Groups)> OfAsync(IReadOnlyList<Instance> instances, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(instances);
        await using var c = await db.OpenAsync(cancellationToken).ConfigureAwait(false);
        string[] uuids = [.. instances.Select(i => i.Uuid)];
        var metadata = await KeyChunks.QueryAsync(c, db.Dialect, InstanceMetadataQueries.MetadataOf, "Uuids", uuids, InstanceValue.Read, cancellationToken).ConfigureAwait(false);
        var groups = await KeyChunks.QueryAsync(c, db.Dialect, InstanceMetadataQueries.SecurityGroupNamesOf, "Uuids", uuids, InstanceValue.ReadGroup, cancellationToken).ConfigureAwait(false);
        return (metadata.ToLookup(m => m.InstanceUuid, m => (m.Key, m.Value)), GroupsLookup(groups));
    }

    /// <summary>The security group names of many instances (sorted, by instance), all of them in one query on SQLite (<see cref="KeyChunks"/>).</summary>
    public async Task<ILookup<string, string>> SecurityGroupNamesOfAsync(IReadOnlyList<string> uuids, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(uuids);
        return GroupsLookup(await KeyChunks.QueryAsync(db, InstanceMetadataQueries.SecurityGroupNamesOf, "Uuids", uuids, InstanceValue.ReadGroup, cancellationToken).ConfigureAwait(false));
    }

    /// <summary>
    /// The group names by instance, each instance's sorted. Most instances are in one group, so the rows are sorted
    /// only when some instance has several (sorting a page's 1,000 rows every time was 1 % of its CPU samples).
    /// </summary>
    private static ILookup<string, string> GroupsLookup(List<InstanceValue> groups)
    {
        var byInstance = groups.ToLookup(g => g.InstanceUuid, g => g.Value, StringComparer.Ordinal);
        return byInstance.Count == groups.Count ? byInstance
            : groups.OrderBy(g => g.Value, StringComparer.Ordinal).ToLookup(g => g.InstanceUuid, g => g.Value, StringComparer.Ordinal);
    }

    private sealed class InstanceValue
    {
        public string InstanceUuid { get; init; } = "";

        public string Key { get; init; } = "";

        public string Value { get; init; } = "";

        /// <summary>A row of <see cref="InstanceMetadataQueries.MetadataOf"/>: uuid, key, value.</summary>
        public static InstanceValue Read(DbDataReader reader)
        {
            var row = DbRow.Of(reader);
            return new() { InstanceUuid = row.String(0), Key = row.String(1), Value = row.String(2) };
        }

        /// <summary>A row of <see cref="InstanceMetadataQueries.SecurityGroupNamesOf"/>: uuid, group name.</summary>
        public static InstanceValue ReadGroup(DbDataReader reader)
        {
            var row = DbRow.Of(reader);
            return new() { InstanceUuid = row.String(0), Value = row.String(1) };
        }
    }
}
