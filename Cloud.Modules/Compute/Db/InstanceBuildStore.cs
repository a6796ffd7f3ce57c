using Cloud.Modules.Kernel.Db;
using Dapper;
using static Cloud.Modules.Kernel.Db.Sql;

namespace Cloud.Modules.Compute.Db;

/// <summary>
/// Runs <see cref="InstanceBuildQueries"/> for <see cref="InstanceBuildsApi"/>. Each transition applies only to the
/// row as it was read, and a transition that takes an instance off its host gives the host's claim back in the same
/// transaction: a claim is released once, however many schedulers race.
/// </summary>
public sealed class InstanceBuildStore(IDbConnectionFactory db, TimeProvider clock)
{
    private DateTime Now => clock.GetUtcNow().UtcDateTime;

    public Task<IReadOnlyList<Instance>> InFlightAsync(CancellationToken cancellationToken) =>
        db.QueryListAsync<Instance>(InstanceBuildQueries.InFlight, null, cancellationToken);

    /// <summary>ERROR with <paramref name="fault"/>; with <paramref name="releaseClaim"/> the instance also leaves its host and the claim goes back.</summary>
    public Task<bool> FailAsync(Instance read, string fault, bool releaseClaim, CancellationToken cancellationToken) =>
        TransitionAsync(InstanceBuildQueries.Fail, read, new { FaultCode = 500, FaultMessage = fault, ClearHost = releaseClaim }, releaseClaim, cancellationToken);

    /// <summary>Takes a building instance off its host, claim and all, back to scheduling.</summary>
    public Task<bool> UnplaceAsync(Instance read, CancellationToken cancellationToken) =>
        TransitionAsync(InstanceBuildQueries.Unplace, read, null, releaseClaim: true, cancellationToken);

    public Task<bool> TouchAsync(Instance read, CancellationToken cancellationToken) =>
        TransitionAsync(InstanceBuildQueries.Touch, read, null, releaseClaim: false, cancellationToken);

    /// <summary>Marks a deleting instance deleted and gives its claim back.</summary>
    public Task<bool> MarkDeletedAsync(Instance read, CancellationToken cancellationToken) =>
        TransitionAsync(InstanceBuildQueries.MarkDeleted, read, null, releaseClaim: true, cancellationToken);

    private async Task<bool> TransitionAsync(string sql, Instance read, object? extra, bool releaseClaim, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(read);
        var args = new DynamicParameters(new { read.Uuid, read.VmState, read.TaskState, read.Host, read.UpdatedAt, Now });
        if (extra is not null)
        {
            args.AddDynamicParams(extra);
        }
        await using var c = await db.OpenAsync(cancellationToken).ConfigureAwait(false);
        await using var t = await c.BeginTransactionAsync(cancellationToken).ConfigureAwait(false);
        if (await c.ExecuteAsync(Cmd(sql, args, cancellationToken, t)).ConfigureAwait(false) == 0)
        {
            return false;
        }
        if (releaseClaim && read.Host is not null)
        {
            await c.ExecuteAsync(Cmd(ComputeNodeQueries.Release, new { read.Host, read.MemoryMb, read.Vcpus, read.RootGb }, cancellationToken, t)).ConfigureAwait(false);
        }
        await t.CommitAsync(cancellationToken).ConfigureAwait(false);
        return true;
    }
}
