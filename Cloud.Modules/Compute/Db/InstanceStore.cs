using System.Data.Common;
using Cloud.Modules.Kernel.Auth;
using Cloud.Modules.Kernel.Db;
using Dapper;
using static Cloud.Modules.Kernel.Db.Sql;

namespace Cloud.Modules.Compute.Db;

/// <summary>The instance state changes the compute API, the compute manager and the scheduler's claims share.</summary>
public sealed class InstanceStore(IDbConnectionFactory db, TimeProvider clock)
{
    // The task states a build may be found in when run_instance arrives: waiting for it, or left by a delivery that died.
    private static readonly string[] BuildSteps = [TaskStates.Scheduling, TaskStates.Networking, TaskStates.Spawning];

    /// <summary>The <c>quota_locks</c> scope of instances, cores and ram.</summary>
    public const string QuotaScope = "compute_instances";

    private DateTime Now => clock.GetUtcNow().UtcDateTime;

    public async Task<Instance?> FindAsync(string uuid, CancellationToken cancellationToken)
    {
        await using var c = await db.OpenAsync(cancellationToken).ConfigureAwait(false);
        return await c.QuerySingleOrDefaultAsync<Instance>(Cmd(InstanceQueries.ByUuid, new { Uuid = uuid }, cancellationToken)).ConfigureAwait(false);
    }

    /// <summary>
    /// A host's live instances, read by <see cref="InstanceRow"/>: the compute manager's power state sync asks every
    /// periodic interval, and with Dapper's mapper 1,000 instances cost the idle server ~28 CPU-ms a second.
    /// </summary>
    public async Task<IReadOnlyList<Instance>> OnHostAsync(string host, CancellationToken cancellationToken)
    {
        await using var c = await db.OpenAsync(cancellationToken).ConfigureAwait(false);
        return await InstanceRow.ListAsync(c, Cmd(InstanceQueries.OnHost, new { Host = host }, cancellationToken)).ConfigureAwait(false);
    }

    public async Task SetStatesAsync(string uuid, string vmState, string? taskState, PowerState powerState, CancellationToken cancellationToken) =>
        await db.ExecuteAsync(InstanceQueries.SetStates, new { Uuid = uuid, VmState = vmState, TaskState = taskState, PowerState = (int)powerState, Now }, cancellationToken).ConfigureAwait(false);

    public async Task SetTaskStateAsync(string uuid, string? taskState, CancellationToken cancellationToken) =>
        await db.ExecuteAsync(InstanceQueries.SetTaskState, new { Uuid = uuid, TaskState = taskState, Now }, cancellationToken).ConfigureAwait(false);

    /// <summary>Starts <paramref name="taskState"/> if no task runs and the instance is in one of <paramref name="fromStates"/>.</summary>
    public async Task<bool> BeginTaskAsync(string uuid, string taskState, IReadOnlyList<string> fromStates, CancellationToken cancellationToken) =>
        await db.ExecuteAsync(InstanceQueries.BeginTask, new { Uuid = uuid, TaskState = taskState, FromStates = fromStates, Now }, cancellationToken).ConfigureAwait(false) > 0;

    public async Task SetPowerStateAsync(string uuid, PowerState powerState, CancellationToken cancellationToken) =>
        await db.ExecuteAsync(InstanceQueries.SetPowerState, new { Uuid = uuid, PowerState = (int)powerState, Now }, cancellationToken).ConfigureAwait(false);

    public async Task SetLaunchedAsync(string uuid, PowerState powerState, CancellationToken cancellationToken) =>
        await db.ExecuteAsync(InstanceQueries.SetLaunched, new { Uuid = uuid, PowerState = (int)powerState, Now }, cancellationToken).ConfigureAwait(false);

    /// <summary>A build whose guest runs but whose launch was never recorded becomes active; false when it is no longer building.</summary>
    public async Task<bool> AdoptBuildAsync(string uuid, PowerState powerState, CancellationToken cancellationToken) =>
        await db.ExecuteAsync(InstanceQueries.AdoptBuild, new { Uuid = uuid, PowerState = (int)powerState, Now }, cancellationToken).ConfigureAwait(false) > 0;

    /// <summary>The instances with these database ids, deleted ones included.</summary>
    public async Task<IReadOnlyList<Instance>> ByIdsAsync(IReadOnlyCollection<long> ids, CancellationToken cancellationToken)
    {
        if (ids.Count == 0)
        {
            return [];
        }
        await using var c = await db.OpenAsync(cancellationToken).ConfigureAwait(false);
        return (await c.QueryAsync<Instance>(Cmd(InstanceQueries.ByIds, new { Ids = ids }, cancellationToken)).ConfigureAwait(false)).AsList();
    }

    /// <summary>Puts instances in ERROR with a fault (code 500 for failures, as nova records them).</summary>
    public Task SetFaultAsync(IEnumerable<string> uuids, string message, CancellationToken cancellationToken, int code = 500) =>
        SetFaultsAsync(InstanceQueries.SetFault, uuids, message, code, cancellationToken);

    /// <summary>Puts the instances that are still not placed on a host in ERROR with a fault (the scheduler found no host).</summary>
    public Task FailUnplacedAsync(IEnumerable<string> uuids, string message, CancellationToken cancellationToken) =>
        SetFaultsAsync(InstanceQueries.SetFaultIfUnplaced, uuids, message, 500, cancellationToken);

    private async Task SetFaultsAsync(string query, IEnumerable<string> uuids, string message, int code, CancellationToken cancellationToken)
    {
        await using var c = await db.OpenAsync(cancellationToken).ConfigureAwait(false);
        await using var t = await c.BeginTransactionAsync(cancellationToken).ConfigureAwait(false);
        foreach (var uuid in uuids)
        {
            await c.ExecuteAsync(Cmd(query, new { Uuid = uuid, FaultCode = code, FaultMessage = message, Now }, cancellationToken, t)).ConfigureAwait(false);
        }
        await t.CommitAsync(cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Claims the build of an instance placed on <paramref name="host"/> (see <see cref="InstanceQueries.BeginBuild"/>); false: it is not this host's to build.</summary>
    public async Task<bool> BeginBuildAsync(string uuid, string host, CancellationToken cancellationToken) =>
        await db.ExecuteAsync(InstanceQueries.BeginBuild, new { Uuid = uuid, Host = host, From = BuildSteps, Now }, cancellationToken).ConfigureAwait(false) > 0;

    /// <summary>Moves a build from step <paramref name="from"/> to <paramref name="to"/>; false when the instance stopped building meanwhile.</summary>
    public async Task<bool> AdvanceBuildAsync(string uuid, string from, string to, CancellationToken cancellationToken) =>
        await db.ExecuteAsync(InstanceQueries.AdvanceBuild, new { Uuid = uuid, From = from, To = to, Now }, cancellationToken).ConfigureAwait(false) > 0;

    /// <summary>Ends a build: active and launched; false when the instance stopped building meanwhile (deleted, failed).</summary>
    public async Task<bool> FinishBuildAsync(string uuid, PowerState powerState, CancellationToken cancellationToken) =>
        await db.ExecuteAsync(InstanceQueries.FinishBuild, new { Uuid = uuid, PowerState = (int)powerState, Now }, cancellationToken).ConfigureAwait(false) > 0;

    /// <summary>Of <paramref name="uuids"/>, the instances that keep their fixed IP (see <see cref="InstanceQueries.KeepingAddresses"/>).</summary>
    public async Task<IReadOnlyList<string>> KeepingAddressesAsync(IReadOnlyCollection<string> uuids, CancellationToken cancellationToken)
    {
        await using var c = await db.OpenAsync(cancellationToken).ConfigureAwait(false);
        return (await c.QueryAsync<string>(Cmd(InstanceQueries.KeepingAddresses, new { Uuids = uuids }, cancellationToken)).ConfigureAwait(false)).AsList();
    }

    /// <summary>Marks the instance deleted and gives its claim back to its host, together; false if it was already deleted.</summary>
    public async Task<bool> MarkDeletedAsync(Instance instance, CancellationToken cancellationToken)
    {
        await using var c = await db.OpenAsync(cancellationToken).ConfigureAwait(false);
        await using var t = await c.BeginTransactionAsync(cancellationToken).ConfigureAwait(false);
        if (await c.ExecuteAsync(Cmd(InstanceQueries.MarkDeleted, new { instance.Uuid, Now }, cancellationToken, t)).ConfigureAwait(false) == 0)
        {
            return false;
        }
        if (instance.Host is not null)
        {
            await c.ExecuteAsync(Cmd(ComputeNodeQueries.Release, new { instance.Host, instance.MemoryMb, instance.Vcpus, instance.RootGb }, cancellationToken, t)).ConfigureAwait(false);
        }
        await t.CommitAsync(cancellationToken).ConfigureAwait(false);
        return true;
    }

    /// <summary>Records an action on the instance (create, reboot, stop, start, delete) with the caller's request id.</summary>
    public async Task AddActionAsync(RequestContext context, string uuid, string action, string? message, CancellationToken cancellationToken, DbConnection? connection = null, DbTransaction? transaction = null)
    {
        var args = new { Uuid = uuid, Action = action, context.RequestId, context.UserId, context.ProjectId, Message = message, Now };
        if (connection is not null)
        {
            await connection.ExecuteAsync(Cmd(InstanceQueries.InsertAction, args, cancellationToken, transaction)).ConfigureAwait(false);
            return;
        }
        await db.ExecuteAsync(InstanceQueries.InsertAction, args, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>
    /// Writes the instances of one launch with their metadata, security groups and create action in one
    /// transaction, as many as <paramref name="allowedCount"/> grants given the project's usage read in that same
    /// transaction under the project's quota lock (<see cref="QuotaLocks"/>: concurrent creates never overshoot), and
    /// whatever <paramref name="alsoWrite"/> adds for the new UUIDs (the outbox row of their scheduling cast).
    /// Returns their UUIDs in launch order.
    /// </summary>
    public async Task<IReadOnlyList<string>> CreateAsync(
        RequestContext context, InstanceLaunch launch, Func<InstanceUsage, int> allowedCount, Func<DbConnection, DbTransaction, IReadOnlyList<string>, Task> alsoWrite, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(launch);
        ArgumentNullException.ThrowIfNull(allowedCount);
        ArgumentNullException.ThrowIfNull(alsoWrite);
        var (request, flavor) = (launch.Request, launch.Flavor);
        var uuids = new List<string>();
        await using var c = await db.OpenAsync(cancellationToken).ConfigureAwait(false);
        await using var t = await QuotaLocks.BeginHeldAsync(c, db.Dialect, launch.ProjectId, QuotaScope, cancellationToken).ConfigureAwait(false);
        var usage = await c.QuerySingleAsync<InstanceUsage>(Cmd(InstanceQueries.Usage, new { launch.ProjectId }, cancellationToken, t)).ConfigureAwait(false);
        var count = allowedCount(usage);
        // All the rows in one command of multi-row INSERTs: a row a statement cost a create of one instance (one
        // group, its create action) three round trips, and a create of N instances 3N.
        var (instances, metadata, groups, actions) = (new List<object?[]>(count), new List<object?[]>(), new List<object?[]>(), new List<object?[]>(count));
        for (var index = 0; index < count; index++)
        {
            var uuid = Guid.NewGuid().ToString();
            uuids.Add(uuid);
            instances.Add([
                uuid, launch.NameOf(index, count), launch.ProjectId, context.UserId, request.ImageRef, request.KernelId, request.RamdiskId,
                flavor.Id, flavor.MemoryMb, flavor.Vcpus, flavor.RootGb, request.KeyName, launch.KeyData, request.UserData,
                launch.Reservation, index, request.AvailabilityZone, VmStates.Building, TaskStates.Scheduling, 0, 0, launch.Now, launch.Now, request.NoNetwork]);
            metadata.AddRange(request.Metadata.Select(m => new object?[] { uuid, m.Key, m.Value }));
            groups.AddRange(launch.SecurityGroupIds.Select(g => new object?[] { uuid, g }));
            actions.Add([uuid, "create", context.RequestId, context.UserId, context.ProjectId, null, Now]);
        }
        var batch = new InsertBatch();
        batch.Add(InstanceQueries.InsertRows, instances);
        batch.Add(InstanceQueries.InsertMetadataRows, metadata);
        batch.Add(InstanceQueries.AddSecurityGroupRows, groups);
        batch.Add(InstanceQueries.InsertActionRows, actions);
        if (count > 0)
        {
            await c.ExecuteAsync(Cmd(batch.Sql, batch.Parameters, cancellationToken, t)).ConfigureAwait(false);
        }
        if (launch.ServerGroupId is { } serverGroupId)
        {
            foreach (var uuid in uuids)
            {
                await ServerGroupStore.AddMemberAsync(c, t, serverGroupId, uuid, cancellationToken).ConfigureAwait(false);
            }
        }
        await alsoWrite(c, t, uuids).ConfigureAwait(false);
        await t.CommitAsync(cancellationToken).ConfigureAwait(false);
        return uuids;
    }

    /// <summary>
    /// The instances <paramref name="query"/> asks for, of <paramref name="projectId"/> or of all projects, in its order,
    /// from after its marker and at most its limit (SQL does the filtering, ordering and cutting); null when the marker
    /// is not one of the instances it lists.
    /// </summary>
    public async Task<IReadOnlyList<Instance>?> ListAsync(InstanceListQuery query, string projectId, bool allProjects, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(query);
        var (where, args) = InstanceListSql.Filter(query, projectId, allProjects);
        var order = InstanceListSql.Order(query);
        await using var c = await db.OpenAsync(cancellationToken).ConfigureAwait(false);
        if (query.Marker is { } marker)
        {
            args.Add("Marker", marker);
            object? row = await c.QueryFirstOrDefaultAsync(Cmd(InstanceListSql.MarkerRow(where, order), args, cancellationToken)).ConfigureAwait(false);
            if (row is not IDictionary<string, object?> values)
            {
                return null;
            }
            where += " AND " + InstanceListSql.After(order, values, args);
        }
        var limit = "";
        if (query.Limit is { } count)
        {
            limit = " LIMIT @Limit";
            args.Add("Limit", count);
        }
        return await InstanceRow.ListAsync(c, Cmd(InstanceListSql.Select(where, order, limit), args, cancellationToken)).ConfigureAwait(false);
    }

    /// <summary>An instance by its database id (what its EC2 id <c>i-0000002a</c> encodes).</summary>
    public Task<Instance?> FindByIdAsync(long id, CancellationToken cancellationToken) =>
        db.QuerySingleOrDefaultAsync<Instance>(InstanceQueries.ById, new { Id = id }, cancellationToken);

    /// <summary>Instances by UUID, in launch order.</summary>
    public Task<IReadOnlyList<Instance>> ByUuidsAsync(IReadOnlyList<string> uuids, CancellationToken cancellationToken) =>
        db.QueryListAsync<Instance>(InstanceQueries.ByUuids, new { Uuids = uuids }, cancellationToken);

    public async Task<IReadOnlyDictionary<string, string>> MetadataAsync(string uuid, CancellationToken cancellationToken) =>
        (await db.QueryListAsync<(string Key, string Value)>(InstanceQueries.Metadata, new { Uuid = uuid }, cancellationToken).ConfigureAwait(false))
            .ToDictionary(kv => kv.Key, kv => kv.Value, StringComparer.Ordinal);

    public Task<IReadOnlyList<string>> SecurityGroupNamesAsync(string uuid, CancellationToken cancellationToken) =>
        db.QueryListAsync<string>(InstanceQueries.SecurityGroupNames, new { Uuid = uuid }, cancellationToken);
}
