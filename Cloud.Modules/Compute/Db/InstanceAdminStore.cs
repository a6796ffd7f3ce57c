using Cloud.Modules.Kernel.Db;

namespace Cloud.Modules.Compute.Db;

/// <summary>Lock, unlock and reset state: instance changes the API writes itself (<see cref="InstanceAdminQueries"/>).</summary>
public sealed class InstanceAdminStore(IDbConnectionFactory db, TimeProvider clock)
{
    private DateTime Now => clock.GetUtcNow().UtcDateTime;

    /// <summary>Locks the instance for <paramref name="lockedBy"/> (<c>owner</c> or <c>admin</c>) with an optional reason.</summary>
    public Task LockAsync(string uuid, string lockedBy, string? reason, CancellationToken cancellationToken) =>
        db.ExecuteAsync(InstanceAdminQueries.Lock, new { Uuid = uuid, LockedBy = lockedBy, Reason = reason, Now }, cancellationToken);

    public Task UnlockAsync(string uuid, CancellationToken cancellationToken) =>
        db.ExecuteAsync(InstanceAdminQueries.Unlock, new { Uuid = uuid, Now }, cancellationToken);

    public Task ResetStateAsync(string uuid, string vmState, CancellationToken cancellationToken) =>
        db.ExecuteAsync(InstanceAdminQueries.ResetState, new { Uuid = uuid, VmState = vmState, Now }, cancellationToken);
}
