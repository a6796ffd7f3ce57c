using System.Data.Common;
using Cloud.Modules.Kernel.Db;
using Dapper;
using static Cloud.Modules.Kernel.Db.Sql;

namespace Cloud.Modules.Compute.Db;

/// <summary>Runs the SQL of compute hosts' capacity and the scheduler's claims for <see cref="ComputeNodeApi"/>.</summary>
public sealed class ComputeNodeStore(IDbConnectionFactory db, TimeProvider clock)
{
    /// <summary>Updates the host's row, or inserts it (a racing insert of the same host turns into the update).</summary>
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
        catch (DbException)
        {
            await c.ExecuteAsync(Cmd(ComputeNodeQueries.Report, args, cancellationToken)).ConfigureAwait(false);
        }
    }

    public Task<IReadOnlyList<ComputeNode>> ListAsync(CancellationToken cancellationToken) =>
        db.QueryListAsync<ComputeNode>(ComputeNodeQueries.List, null, cancellationToken);

    public Task<ComputeNode?> FindAsync(string host, CancellationToken cancellationToken) =>
        db.QuerySingleOrDefaultAsync<ComputeNode>(ComputeNodeQueries.ByHost, new { Host = host }, cancellationToken);

    /// <summary>
    /// Assigns each placed instance to its host and claims the resources of all of a host's placements there in one
    /// conditional update, all in one transaction. Returns the placements claimed (an instance deleted or placed by
    /// someone else meanwhile is skipped), or null (nothing done) when a host lacks room. One claim per host and
    /// batch, not per instance: a round of 16 single-instance requests cost 32 statements, now 16 plus its hosts.
    /// </summary>
    public async Task<IReadOnlyList<Placement>?> ClaimAsync(IReadOnlyList<Placement> placements, AllocationRatios ratios, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(placements);
        ArgumentNullException.ThrowIfNull(ratios);
        var now = clock.GetUtcNow().UtcDateTime;
        var claimed = new List<Placement>(placements.Count);
        await using var c = await db.OpenAsync(cancellationToken).ConfigureAwait(false);
        await using var t = await c.BeginTransactionAsync(cancellationToken).ConfigureAwait(false);
        foreach (var p in placements)
        {
            if (await c.ExecuteAsync(Cmd(InstanceQueries.SetHost, new { p.Uuid, p.Host, Now = now }, cancellationToken, t)).ConfigureAwait(false) > 0)
            {
                claimed.Add(p);
            }
        }
        foreach (var host in claimed.GroupBy(p => p.Host, StringComparer.Ordinal))
        {
            var claim = new
            {
                Host = host.Key, MemoryMb = host.Sum(p => p.MemoryMb), Vcpus = host.Sum(p => p.Vcpus), RootGb = host.Sum(p => p.RootGb),
                RamRatio = ratios.Ram, CpuRatio = ratios.Cpu, DiskRatio = ratios.Disk,
            };
            if (await c.ExecuteAsync(Cmd(ComputeNodeQueries.Claim, claim, cancellationToken, t)).ConfigureAwait(false) == 0)
            {
                await t.RollbackAsync(cancellationToken).ConfigureAwait(false);
                return null;
            }
        }
        await t.CommitAsync(cancellationToken).ConfigureAwait(false);
        return claimed;
    }
}
