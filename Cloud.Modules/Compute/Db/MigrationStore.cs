using Cloud.Modules.Kernel.Db;

namespace Cloud.Modules.Compute.Db;

/// <summary>Runs the SQL of the migrations table and of the claims a resize takes and gives back.</summary>
public sealed class MigrationStore(IDbConnectionFactory db, TimeProvider clock)
{
    private DateTime Now => clock.GetUtcNow().UtcDateTime;

    /// <summary>Writes a new resize (pre-migrating, no destination yet) and returns it.</summary>
    public async Task<Migration> InsertAsync(Migration migration, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(migration);
        await db.ExecuteAsync(MigrationQueries.Insert, new
        {
            migration.Uuid, migration.InstanceUuid, migration.ProjectId, migration.UserId, migration.SourceCompute, migration.OldInstanceTypeId,
            migration.NewInstanceTypeId, migration.OldMemoryMb, migration.OldVcpus, migration.OldRootGb, migration.NewMemoryMb, migration.NewVcpus,
            migration.NewRootGb, migration.OldVmState, migration.MigrationType, Now,
        }, cancellationToken).ConfigureAwait(false);
        return await FindAsync(migration.Uuid, cancellationToken).ConfigureAwait(false)
            ?? throw new InvalidOperationException($"migration {migration.Uuid} vanished after its insert");
    }

    public Task<Migration?> FindAsync(string uuid, CancellationToken cancellationToken) =>
        db.QuerySingleOrDefaultAsync<Migration>(MigrationQueries.ByUuid, new { Uuid = uuid }, cancellationToken);

    /// <summary>The instance's resize waiting for confirm or revert, or null.</summary>
    public async Task<Migration?> FinishedOfAsync(string instanceUuid, CancellationToken cancellationToken) =>
        (await db.QueryListAsync<Migration>(MigrationQueries.FinishedOf, new { InstanceUuid = instanceUuid }, cancellationToken).ConfigureAwait(false)).FirstOrDefault();

    public Task<IReadOnlyList<Migration>> ListAsync(MigrationQuery query, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(query);
        return db.QueryListAsync<Migration>(MigrationQueries.List, new { query.InstanceUuid, query.Status, query.Host, query.MigrationType, query.ProjectId }, cancellationToken);
    }

    public Task<IReadOnlyList<Migration>> FinishedOnSourceBeforeAsync(string host, DateTime before, CancellationToken cancellationToken) =>
        db.QueryListAsync<Migration>(MigrationQueries.FinishedOnSourceBefore, new { Host = host, Before = before }, cancellationToken);

    public Task SetDestAsync(string uuid, string dest, CancellationToken cancellationToken) =>
        db.ExecuteAsync(MigrationQueries.SetDest, new { Uuid = uuid, Dest = dest, Now }, cancellationToken);

    /// <summary>Moves the status to <paramref name="to"/> if it is one of <paramref name="from"/>; false when it was not (already done).</summary>
    public async Task<bool> MoveStatusAsync(string uuid, string to, IReadOnlyList<string> from, CancellationToken cancellationToken) =>
        await db.ExecuteAsync(MigrationQueries.MoveStatus, new { Uuid = uuid, To = to, From = from, Now }, cancellationToken).ConfigureAwait(false) > 0;

    /// <summary>Claims resources on a host for a resize (the instance stays where it is); false when they no longer fit.</summary>
    public async Task<bool> ClaimAsync(string host, long memoryMb, long vcpus, long rootGb, AllocationRatios ratios, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(ratios);
        return await db.ExecuteAsync(MigrationQueries.Claim, new
        {
            Host = host, MemoryMb = memoryMb, Vcpus = vcpus, RootGb = rootGb, RamRatio = ratios.Ram, CpuRatio = ratios.Cpu, DiskRatio = ratios.Disk,
        }, cancellationToken).ConfigureAwait(false) > 0;
    }

    /// <summary>Gives a claim back to its host.</summary>
    public Task ReleaseAsync(string host, long memoryMb, long vcpus, long rootGb, CancellationToken cancellationToken) =>
        db.ExecuteAsync(ComputeNodeQueries.Release, new { Host = host, MemoryMb = memoryMb, Vcpus = vcpus, RootGb = rootGb }, cancellationToken);
}
