using Cloud.Modules.Compute.Db;
using Cloud.Modules.Kernel.Db;
using Dapper;
using static Cloud.Modules.Kernel.Db.Sql;

namespace Cloud.Modules.Compute;

/// <summary>
/// Compute hosts' capacity for the scheduler: the managers report it, the scheduler reads it and claims
/// instances onto hosts. A claim is a conditional UPDATE, so two schedulers can never double-book a host.
/// </summary>
public sealed class ComputeNodeApi(IDbConnectionFactory db, InstanceStore instances, TimeProvider clock)
{
    /// <summary>Records a host's capacity (its manager calls this with every heartbeat).</summary>
    public async Task ReportAsync(string host, string hypervisorType, Drivers.HostCapacity capacity, CancellationToken cancellationToken)
    {
        var args = new { Host = host, HypervisorType = hypervisorType, capacity.Vcpus, capacity.MemoryMb, capacity.LocalGb, capacity.RunningVms, Now = clock.GetUtcNow().UtcDateTime };
        await using var c = await db.OpenAsync(cancellationToken).ConfigureAwait(false);
        if (await c.ExecuteAsync(Cmd(ComputeNodeQueries.Report, args, cancellationToken)).ConfigureAwait(false) > 0)
        {
            return;
        }
        try
        {
            await c.ExecuteAsync(Cmd(ComputeNodeQueries.Insert, args, cancellationToken)).ConfigureAwait(false);
        }
        catch (System.Data.Common.DbException)
        {
            await c.ExecuteAsync(Cmd(ComputeNodeQueries.Report, args, cancellationToken)).ConfigureAwait(false);
        }
    }

    public async Task<IReadOnlyList<ComputeNode>> ListAsync(CancellationToken cancellationToken)
    {
        await using var c = await db.OpenAsync(cancellationToken).ConfigureAwait(false);
        return (await c.QueryAsync<ComputeNode>(Cmd(ComputeNodeQueries.List, null, cancellationToken)).ConfigureAwait(false)).AsList();
    }

    public async Task<ComputeNode?> FindAsync(string host, CancellationToken cancellationToken)
    {
        await using var c = await db.OpenAsync(cancellationToken).ConfigureAwait(false);
        return await c.QuerySingleOrDefaultAsync<ComputeNode>(Cmd(ComputeNodeQueries.ByHost, new { Host = host }, cancellationToken)).ConfigureAwait(false);
    }

    /// <summary>
    /// Claims every placement in one transaction and assigns the instances to their hosts: all or none.
    /// False when a host no longer has room (another scheduler got there first): the caller re-reads and retries.
    /// An instance deleted before it was placed is skipped.
    /// </summary>
    public async Task<bool> ClaimAsync(IReadOnlyList<Placement> placements, AllocationRatios ratios, CancellationToken cancellationToken)
    {
        var now = clock.GetUtcNow().UtcDateTime;
        await using var c = await db.OpenAsync(cancellationToken).ConfigureAwait(false);
        await using var t = await c.BeginTransactionAsync(cancellationToken).ConfigureAwait(false);
        foreach (var p in placements)
        {
            if (await c.ExecuteAsync(Cmd(InstanceQueries.SetHost, new { p.Uuid, p.Host, Now = now }, cancellationToken, t)).ConfigureAwait(false) == 0)
            {
                continue;
            }
            var claim = new { p.Host, p.MemoryMb, p.Vcpus, p.RootGb, RamRatio = ratios.Ram, CpuRatio = ratios.Cpu, DiskRatio = ratios.Disk };
            if (await c.ExecuteAsync(Cmd(ComputeNodeQueries.Claim, claim, cancellationToken, t)).ConfigureAwait(false) == 0)
            {
                await t.RollbackAsync(cancellationToken).ConfigureAwait(false);
                return false;
            }
        }
        await t.CommitAsync(cancellationToken).ConfigureAwait(false);
        return true;
    }

    /// <summary>Puts instances the scheduler could not place in ERROR with <paramref name="reason"/> as their fault.</summary>
    public Task FailAsync(IReadOnlyList<string> uuids, string reason, CancellationToken cancellationToken) =>
        instances.SetFaultAsync(uuids, reason, cancellationToken);
}
