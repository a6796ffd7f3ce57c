using Cloud.Modules.Kernel.Db;
using Dapper;
using static Cloud.Modules.Kernel.Db.Sql;

namespace Cloud.Modules.Compute.Db;

/// <summary>Runs the SQL of server groups for <see cref="ServerGroupApi"/>; members are written with their instances (<see cref="InstanceStore"/>).</summary>
public sealed class ServerGroupStore(IDbConnectionFactory db)
{
    /// <summary>The <c>quota_locks</c> scope of server groups.</summary>
    public const string QuotaScope = "server_groups";

    /// <summary>Inserts <paramref name="group"/> after <paramref name="checkCount"/> has seen how many groups the project has, in one transaction.</summary>
    public async Task InsertAsync(ServerGroup group, Action<long> checkCount, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(group);
        ArgumentNullException.ThrowIfNull(checkCount);
        await using var c = await db.OpenAsync(cancellationToken).ConfigureAwait(false);
        await using var t = await QuotaLocks.BeginHeldAsync(c, db.Dialect, group.ProjectId, QuotaScope, cancellationToken).ConfigureAwait(false);
        checkCount(await c.ExecuteScalarAsync<long>(Cmd(ServerGroupQueries.CountOfProject, new { group.ProjectId }, cancellationToken, t)).ConfigureAwait(false));
        await c.ExecuteAsync(Cmd(ServerGroupQueries.Insert, group, cancellationToken, t)).ConfigureAwait(false);
        await t.CommitAsync(cancellationToken).ConfigureAwait(false);
    }

    public Task<ServerGroup?> FindAsync(string uuid, CancellationToken cancellationToken) =>
        db.QuerySingleOrDefaultAsync<ServerGroup>(ServerGroupQueries.ByUuid, new { Uuid = uuid }, cancellationToken);

    /// <summary>A project's groups, or every project's for null.</summary>
    public Task<IReadOnlyList<ServerGroup>> ListAsync(string? projectId, CancellationToken cancellationToken) =>
        db.QueryListAsync<ServerGroup>(ServerGroupQueries.List, new { ProjectId = projectId }, cancellationToken);

    public async Task<bool> DeleteAsync(long id, CancellationToken cancellationToken) =>
        await db.ExecuteAsync(ServerGroupQueries.Delete, new { Id = id }, cancellationToken).ConfigureAwait(false) > 0;

    public async Task<IReadOnlyList<ServerGroupMember>> LiveMembersAsync(IReadOnlyCollection<long> groupIds, CancellationToken cancellationToken) =>
        groupIds.Count == 0 ? [] : await db.QueryListAsync<ServerGroupMember>(ServerGroupQueries.LiveMembers, new { GroupIds = groupIds }, cancellationToken).ConfigureAwait(false);

    public Task<IReadOnlyList<ServerGroup>> OfInstanceAsync(string instanceUuid, CancellationToken cancellationToken) =>
        db.QueryListAsync<ServerGroup>(ServerGroupQueries.OfInstance, new { Uuid = instanceUuid }, cancellationToken);

    /// <summary>Adds the instance to the group inside the transaction that creates it (<see cref="InstanceStore.CreateAsync"/>).</summary>
    internal static Task AddMemberAsync(System.Data.Common.DbConnection connection, System.Data.Common.DbTransaction transaction, long groupId, string uuid, CancellationToken cancellationToken) =>
        connection.ExecuteAsync(Cmd(ServerGroupQueries.AddMember, new { GroupId = groupId, Uuid = uuid }, cancellationToken, transaction));
}
