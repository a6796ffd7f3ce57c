using Cloud.Modules.Kernel.Db;
using Dapper;
using static Cloud.Modules.Kernel.Db.Sql;

namespace Cloud.Modules.Compute.Db;

/// <summary>Runs the SQL of server tags and instance extras for <see cref="ServerTagsApi"/>.</summary>
public sealed class ServerTagStore(IDbConnectionFactory db, TimeProvider clock)
{
    /// <summary>The tags of many instances, all of them in one query on SQLite (<see cref="KeyChunks"/>).</summary>
    public async Task<ILookup<string, string>> TagsOfAsync(IReadOnlyList<string> uuids, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(uuids);
        var rows = await KeyChunks.QueryAsync<TagRow>(db, ServerTagQueries.TagsOf, "Uuids", uuids, cancellationToken).ConfigureAwait(false);
        return rows.ToLookup(r => r.InstanceUuid, r => r.Tag, StringComparer.OrdinalIgnoreCase);
    }

    /// <summary>Replaces the tags of an instance (in one transaction) and touches its updated_at as nova does.</summary>
    public Task ReplaceAsync(string uuid, IReadOnlyCollection<string> tags, CancellationToken cancellationToken) =>
        db.InTransactionAsync(async (c, t) =>
        {
            await c.ExecuteAsync(Cmd(ServerTagQueries.DeleteTags, new { Uuid = uuid }, cancellationToken, t)).ConfigureAwait(false);
            foreach (var tag in tags)
            {
                await c.ExecuteAsync(Cmd(ServerTagQueries.InsertTag, new { Uuid = uuid, Tag = tag }, cancellationToken, t)).ConfigureAwait(false);
            }
            await c.ExecuteAsync(Cmd(ServerTagQueries.Touch, new { Uuid = uuid, Now = clock.GetUtcNow().UtcDateTime }, cancellationToken, t)).ConfigureAwait(false);
        }, cancellationToken);

    /// <summary>Removes one tag; false when the instance did not have it.</summary>
    public async Task<bool> DeleteAsync(string uuid, string tag, CancellationToken cancellationToken)
    {
        var deleted = await db.ExecuteAsync(ServerTagQueries.DeleteTag, new { Uuid = uuid, Tag = tag }, cancellationToken).ConfigureAwait(false) > 0;
        await db.ExecuteAsync(ServerTagQueries.Touch, new { Uuid = uuid, Now = clock.GetUtcNow().UtcDateTime }, cancellationToken).ConfigureAwait(false);
        return deleted;
    }

    public async Task<IReadOnlyDictionary<string, InstanceExtras>> ExtrasOfAsync(IReadOnlyList<string> uuids, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(uuids);
        var rows = await KeyChunks.QueryAsync<InstanceExtras>(db, ServerTagQueries.ExtrasOf, "Uuids", uuids, cancellationToken).ConfigureAwait(false);
        return rows.ToDictionary(r => r.InstanceUuid, StringComparer.OrdinalIgnoreCase);
    }

    /// <summary>Writes an instance's extras (replacing what it had).</summary>
    public Task SetExtrasAsync(InstanceExtras extras, CancellationToken cancellationToken) =>
        db.InTransactionAsync(async (c, t) =>
        {
            await c.ExecuteAsync(Cmd(ServerTagQueries.DeleteExtras, new { Uuid = extras.InstanceUuid }, cancellationToken, t)).ConfigureAwait(false);
            await c.ExecuteAsync(Cmd(ServerTagQueries.InsertExtras, extras, cancellationToken, t)).ConfigureAwait(false);
        }, cancellationToken);

    private sealed class TagRow
    {
        public string InstanceUuid { get; init; } = "";

        public string Tag { get; init; } = "";
    }
}
