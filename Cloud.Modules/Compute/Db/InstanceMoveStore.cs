using Cloud.Modules.Kernel.Db;
using Dapper;
using static Cloud.Modules.Kernel.Db.Sql;

namespace Cloud.Modules.Compute.Db;

/// <summary>The instance changes of rebuild, resize and shelve, and the snapshots shelved instances keep.</summary>
public sealed class InstanceMoveStore(IDbConnectionFactory db, TimeProvider clock)
{
    private DateTime Now => clock.GetUtcNow().UtcDateTime;

    /// <summary>Puts the instance on <paramref name="host"/> with the resources of <paramref name="flavor"/> and the given states.</summary>
    public Task SetFlavorAsync(string uuid, string host, FlavorResources flavor, string vmState, string? taskState, PowerState power, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(flavor);
        return db.ExecuteAsync(InstanceMoveQueries.SetFlavor, new
        {
            Uuid = uuid, Host = host, flavor.InstanceTypeId, flavor.MemoryMb, flavor.Vcpus, flavor.RootGb, VmState = vmState, TaskState = taskState,
            PowerState = (int)power, Now,
        }, cancellationToken);
    }

    /// <summary>What a rebuild replaces: the image, and (when given) the key pair and user data.</summary>
    public Task SetImageAsync(string uuid, string imageRef, string? keyName, string? keyData, string? userData, CancellationToken cancellationToken) =>
        db.ExecuteAsync(InstanceMoveQueries.SetImage, new { Uuid = uuid, ImageRef = imageRef, KeyName = keyName, KeyData = keyData, UserData = userData, Now }, cancellationToken);

    /// <summary>Takes the instance off its host and gives its claim back, together; false when it was no longer there.</summary>
    public async Task<bool> OffloadAsync(Instance instance, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(instance);
        await using var c = await db.OpenAsync(cancellationToken).ConfigureAwait(false);
        await using var t = await c.BeginTransactionAsync(cancellationToken).ConfigureAwait(false);
        if (await c.ExecuteAsync(Cmd(InstanceMoveQueries.Offload, new { instance.Uuid, instance.Host, Now }, cancellationToken, t)).ConfigureAwait(false) == 0)
        {
            return false;
        }
        await c.ExecuteAsync(Cmd(ComputeNodeQueries.Release, new { instance.Host, instance.MemoryMb, instance.Vcpus, instance.RootGb }, cancellationToken, t)).ConfigureAwait(false);
        await t.CommitAsync(cancellationToken).ConfigureAwait(false);
        return true;
    }

    /// <summary>Places an offloaded instance on <paramref name="host"/>; false when it already has one.</summary>
    public async Task<bool> AssignHostAsync(string uuid, string host, CancellationToken cancellationToken) =>
        await db.ExecuteAsync(InstanceMoveQueries.AssignHost, new { Uuid = uuid, Host = host, Now }, cancellationToken).ConfigureAwait(false) > 0;

    /// <summary>Remembers the snapshot a shelved instance comes back from (replacing an older one).</summary>
    public Task SetShelvedAsync(string uuid, string imageId, CancellationToken cancellationToken) =>
        db.InTransactionAsync(async (c, t) =>
        {
            await c.ExecuteAsync(Cmd(InstanceMoveQueries.DeleteShelved, new { Uuid = uuid }, cancellationToken, t)).ConfigureAwait(false);
            await c.ExecuteAsync(Cmd(InstanceMoveQueries.InsertShelved, new { Uuid = uuid, ImageId = imageId, Now }, cancellationToken, t)).ConfigureAwait(false);
        }, cancellationToken);

    public Task<string?> ShelvedImageAsync(string uuid, CancellationToken cancellationToken) =>
        db.QuerySingleOrDefaultAsync<string>(InstanceMoveQueries.ShelvedImage, new { Uuid = uuid }, cancellationToken);

    public Task ClearShelvedAsync(string uuid, CancellationToken cancellationToken) =>
        db.ExecuteAsync(InstanceMoveQueries.DeleteShelved, new { Uuid = uuid }, cancellationToken);

    public Task<IReadOnlyList<string>> ShelvedOnHostBeforeAsync(string host, DateTime before, CancellationToken cancellationToken) =>
        db.QueryListAsync<string>(InstanceMoveQueries.ShelvedOnHostBefore, new { Host = host, Before = before }, cancellationToken);
}
