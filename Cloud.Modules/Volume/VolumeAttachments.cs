using Cloud.Modules.Kernel;
using Cloud.Modules.Kernel.Auth;
using Cloud.Modules.Volume.Db;

namespace Cloud.Modules.Volume;

/// <summary>
/// The attach half of <see cref="VolumeApi"/>: available → attaching → in-use → detaching → available, each step a
/// conditional UPDATE (two attaches of one volume: one wins, the other is refused). Repeating a step that already
/// happened (a redelivered message, a retried request) changes nothing and is not an error.
/// </summary>
public sealed class VolumeAttachments(VolumeStore store, VolumeRpcClient rpc)
{
    private static readonly string[] Attaching = [VolumeStatuses.Attaching];
    private static readonly string[] InUse = [VolumeStatuses.InUse];
    private static readonly string[] Detaching = [VolumeStatuses.Detaching];
    private static readonly string[] Detachable = [VolumeStatuses.Detaching, VolumeStatuses.InUse, VolumeStatuses.Attaching];
    private static readonly string[] Connectable = [VolumeStatuses.Available, VolumeStatuses.Attaching, VolumeStatuses.InUse, VolumeStatuses.Detaching];

    internal async Task ReserveAsync(VolumeRow row, string instanceUuid, string? mountpoint, bool deleteOnTermination, int? bootIndex, CancellationToken cancellationToken)
    {
        if (!await store.ReserveAsync(row.Uuid, Guid.NewGuid().ToString(), instanceUuid, mountpoint, deleteOnTermination, bootIndex, cancellationToken).ConfigureAwait(false))
        {
            throw CloudException.Invalid("Invalid volume: volume status must be available");
        }
    }

    internal async Task UnreserveAsync(VolumeRow row, CancellationToken cancellationToken)
    {
        if (!await store.DetachAsync(row.Uuid, Attaching, cancellationToken).ConfigureAwait(false) && row.Status != VolumeStatuses.Available)
        {
            throw CloudException.Invalid($"Invalid volume: Volume status must be 'attaching' to unreserve, but current status is: {row.Status}.");
        }
    }

    internal async Task<VolumeConnection> InitializeConnectionAsync(RequestContext context, VolumeRow row, string connectorHost, CancellationToken cancellationToken)
    {
        if (row.Host is null || !Connectable.Contains(row.Status))
        {
            throw CloudException.Invalid($"Invalid volume: Volume status must be available or in-use to initialize a connection, but current status is: {row.Status}.");
        }
        return await rpc.InitializeConnectionAsync(context, row.Host, row.Uuid, connectorHost, cancellationToken).ConfigureAwait(false);
    }

    internal async Task TerminateConnectionAsync(RequestContext context, VolumeRow row, string connectorHost, CancellationToken cancellationToken)
    {
        if (row.Host is not null)
        {
            await rpc.TerminateConnectionAsync(context, row.Host, row.Uuid, connectorHost, cancellationToken).ConfigureAwait(false);
        }
    }

    internal async Task AttachedAsync(VolumeRow row, string instanceUuid, string host, string mountpoint, CancellationToken cancellationToken)
    {
        if (!await store.AttachedAsync(row.Uuid, instanceUuid, host, mountpoint, cancellationToken).ConfigureAwait(false))
        {
            throw CloudException.Invalid($"Invalid volume: Volume {row.Uuid} is not being attached to instance {instanceUuid} (status: {row.Status}).");
        }
    }

    internal async Task BeginDetachingAsync(VolumeRow row, CancellationToken cancellationToken)
    {
        if (!await store.SetAttachStatusAsync(row.Uuid, InUse, VolumeStatuses.Detaching, "detaching", cancellationToken).ConfigureAwait(false))
        {
            throw CloudException.Invalid("Invalid volume: Unable to detach volume. Volume status must be 'in-use' and attach_status must be 'attached' to detach.");
        }
    }

    internal async Task RollDetachingAsync(VolumeRow row, CancellationToken cancellationToken)
    {
        if (!await store.SetAttachStatusAsync(row.Uuid, Detaching, VolumeStatuses.InUse, "attached", cancellationToken).ConfigureAwait(false) && row.Status != VolumeStatuses.InUse)
        {
            throw CloudException.Invalid($"Invalid volume: Volume status must be 'detaching' to roll back a detach, but current status is: {row.Status}.");
        }
    }

    internal async Task DetachedAsync(VolumeRow row, CancellationToken cancellationToken)
    {
        if (!await store.DetachAsync(row.Uuid, Detachable, cancellationToken).ConfigureAwait(false) && row.AttachStatus != "detached")
        {
            throw CloudException.Invalid($"Invalid volume: Volume {row.Uuid} cannot be detached in status {row.Status}.");
        }
    }
}
