using Cloud.Modules.Kernel.Db;
using Dapper;
using static Cloud.Modules.Kernel.Db.Sql;

namespace Cloud.Modules.Compute.Db;

/// <summary>Counts a project's live instances, cores, RAM and security groups and a user's key pairs, in one connection.</summary>
public sealed class ComputeUsageStore(IDbConnectionFactory db)
{
    public async Task<ComputeUsage> UsageAsync(string projectId, string? userId, CancellationToken cancellationToken)
    {
        await using var c = await db.OpenAsync(cancellationToken).ConfigureAwait(false);
        var instances = await c.QuerySingleAsync<InstanceUsage>(Cmd(InstanceQueries.Usage, new { ProjectId = projectId }, cancellationToken)).ConfigureAwait(false);
        var groups = await c.ExecuteScalarAsync<long>(Cmd(SecurityGroupQueries.Count, new { ProjectId = projectId }, cancellationToken)).ConfigureAwait(false);
        var keyPairs = userId is null ? 0 : await c.ExecuteScalarAsync<long>(Cmd(KeyPairQueries.Count, new { UserId = userId }, cancellationToken)).ConfigureAwait(false);
        return new ComputeUsage(instances.Instances, instances.Cores, instances.Ram, groups, keyPairs);
    }
}
