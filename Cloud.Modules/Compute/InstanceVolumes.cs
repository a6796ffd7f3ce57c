using Cloud.Modules.Compute.Drivers;
using Cloud.Modules.Kernel;
using Cloud.Modules.Kernel.Auth;
using Cloud.Modules.Volume;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Cloud.Modules.Compute;

/// <summary>
/// The compute manager's volume work on this host (nova-compute's attach/detach and block device set-up): connects an
/// instance's volumes before it boots and marks them attached after, hot attaches and detaches, and gives them back when
/// the instance goes. Every failure undoes what was done (connection terminated, volume unreserved or back in-use), so
/// nothing stays half-attached. Volume state is <see cref="VolumeApi"/>'s; the disk is the driver's.
/// </summary>
public sealed partial class InstanceVolumes(IComputeDriver driver, VolumeApi volumes, IOptions<CommonFlags> flags, ILogger<InstanceVolumes> log)
{
    private string Host => flags.Value.Host;

    /// <summary>
    /// Connects the volumes reserved for a new instance (block_device_mapping): the disks its domain is defined with.
    /// On failure the ones already connected are given back and the error is thrown.
    /// </summary>
    public async Task<IReadOnlyList<VolumeDisk>> ConnectForBootAsync(RequestContext context, Instance instance, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(instance);
        var disks = new List<VolumeDisk>();
        foreach (var volume in await volumes.ForInstanceAsync(context, instance.Uuid, cancellationToken).ConfigureAwait(false))
        {
            var connection = await volumes.InitializeConnectionAsync(context, volume.Uuid, Host, cancellationToken).ConfigureAwait(false);
            disks.Add(new VolumeDisk(connection, VolumeDevices.TargetDev(volume.Mountpoint ?? VolumeDevices.Root), volume.BootIndex));
        }
        return disks;
    }

    /// <summary>The instance booted with its volumes: they become in-use.</summary>
    public async Task MarkAttachedAsync(RequestContext context, Instance instance, IReadOnlyList<VolumeDisk> disks, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(instance);
        ArgumentNullException.ThrowIfNull(disks);
        foreach (var volume in await volumes.ForInstanceAsync(context, instance.Uuid, cancellationToken).ConfigureAwait(false))
        {
            if (volume.Status == VolumeStatuses.Attaching)
            {
                await volumes.AttachedAsync(context, volume.Uuid, instance.Uuid, Host, volume.Mountpoint ?? VolumeDevices.Root, cancellationToken).ConfigureAwait(false);
            }
        }
    }

    /// <summary>The build failed: every volume reserved or attached for the instance is available again.</summary>
    public Task ReleaseAfterFailedBootAsync(RequestContext context, Instance instance, CancellationToken cancellationToken) =>
        ReleaseAllAsync(context, instance, deleteOnTermination: false, cancellationToken);

    /// <summary>
    /// The instance was destroyed: each of its volumes is disconnected and available again, and the ones marked
    /// delete_on_termination are deleted. A volume that cannot be given back now is logged, not fatal to the delete.
    /// </summary>
    public Task ReleaseOnTerminateAsync(RequestContext context, Instance instance, CancellationToken cancellationToken) =>
        ReleaseAllAsync(context, instance, deleteOnTermination: true, cancellationToken);

    /// <summary>Hot attach (attach_volume): connect, plug, in-use; any failure unplugs what was plugged and unreserves.</summary>
    public async Task AttachAsync(RequestContext context, Instance instance, string volumeUuid, string device, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(instance);
        var plugged = false;
        try
        {
            var connection = await volumes.InitializeConnectionAsync(context, volumeUuid, Host, cancellationToken).ConfigureAwait(false);
            await driver.AttachVolumeAsync(instance.Name, new VolumeDisk(connection, VolumeDevices.TargetDev(device)), cancellationToken).ConfigureAwait(false);
            plugged = true;
            await volumes.AttachedAsync(context, volumeUuid, instance.Uuid, Host, device, cancellationToken).ConfigureAwait(false);
            LogAttached(volumeUuid, instance.Uuid, device);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            LogFailed(e, "attach", volumeUuid, instance.Uuid);
            if (plugged)
            {
                await QuietlyAsync("unplug", volumeUuid, () => driver.DetachVolumeAsync(instance.Name, volumeUuid, CancellationToken.None)).ConfigureAwait(false);
            }
            await QuietlyAsync("terminate connection", volumeUuid, () => volumes.TerminateConnectionAsync(context, volumeUuid, Host, CancellationToken.None)).ConfigureAwait(false);
            await QuietlyAsync("unreserve", volumeUuid, () => volumes.UnreserveAsync(context, volumeUuid, CancellationToken.None)).ConfigureAwait(false);
            throw;
        }
    }

    /// <summary>Hot detach (detach_volume): unplug once the guest let go, available, connection ended; a failed unplug leaves it in-use.</summary>
    public async Task DetachAsync(RequestContext context, Instance instance, string volumeUuid, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(instance);
        try
        {
            await driver.DetachVolumeAsync(instance.Name, volumeUuid, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            LogFailed(e, "detach", volumeUuid, instance.Uuid);
            await QuietlyAsync("roll back detaching", volumeUuid, () => volumes.RollDetachingAsync(context, volumeUuid, CancellationToken.None)).ConfigureAwait(false);
            throw;
        }
        await volumes.DetachedAsync(context, volumeUuid, cancellationToken).ConfigureAwait(false);
        await QuietlyAsync("terminate connection", volumeUuid, () => volumes.TerminateConnectionAsync(context, volumeUuid, Host, cancellationToken)).ConfigureAwait(false);
        LogDetached(volumeUuid, instance.Uuid);
    }

    /// <summary>
    /// At compute start: the volumes of this host's instances are reachable again (the volume host ensures its export,
    /// this host its CHAP secret), so running guests keep their disks and stopped ones can boot. Returns how many failed.
    /// </summary>
    public async Task<int> ReconnectAsync(IReadOnlyList<Instance> instances, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(instances);
        var context = RequestContext.Service();
        var failed = 0;
        foreach (var instance in instances)
        {
            foreach (var volume in await volumes.ForInstanceAsync(context, instance.Uuid, cancellationToken).ConfigureAwait(false))
            {
                if (volume.Status is not (VolumeStatuses.InUse or VolumeStatuses.Detaching))
                {
                    continue;
                }
                try
                {
                    var connection = await volumes.InitializeConnectionAsync(context, volume.Uuid, Host, cancellationToken).ConfigureAwait(false);
                    await driver.EnsureVolumeConnectedAsync(new VolumeDisk(connection, VolumeDevices.TargetDev(volume.Mountpoint ?? VolumeDevices.Root), volume.BootIndex), cancellationToken).ConfigureAwait(false);
                }
                catch (Exception e) when (e is not OperationCanceledException)
                {
                    LogFailed(e, "reconnect", volume.Uuid, instance.Uuid);
                    failed++;
                }
            }
        }
        return failed;
    }

    private async Task ReleaseAllAsync(RequestContext context, Instance instance, bool deleteOnTermination, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(instance);
        foreach (var volume in await volumes.ForInstanceAsync(context, instance.Uuid, cancellationToken).ConfigureAwait(false))
        {
            await QuietlyAsync("terminate connection", volume.Uuid, () => volumes.TerminateConnectionAsync(context, volume.Uuid, Host, cancellationToken)).ConfigureAwait(false);
            await QuietlyAsync("release", volume.Uuid, () => VolumeRelease.ReleaseAsync(volumes, context, volume, deleteOnTermination, cancellationToken)).ConfigureAwait(false);
        }
    }

    /// <summary>Clean-up after a failure (or of a gone instance) must not hide the first error: log and go on.</summary>
    private async Task QuietlyAsync(string step, string volumeUuid, Func<Task> action)
    {
        try
        {
            await action().ConfigureAwait(false);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            LogCleanupFailed(e, step, volumeUuid);
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "volume {Volume} attached to instance {Instance} as {Device}")]
    private partial void LogAttached(string volume, string instance, string device);

    [LoggerMessage(Level = LogLevel.Information, Message = "volume {Volume} detached from instance {Instance}")]
    private partial void LogDetached(string volume, string instance);

    [LoggerMessage(Level = LogLevel.Error, Message = "{Action} of volume {Volume} for instance {Instance} failed")]
    private partial void LogFailed(Exception error, string action, string volume, string instance);

    [LoggerMessage(Level = LogLevel.Warning, Message = "clean-up step '{Step}' of volume {Volume} failed")]
    private partial void LogCleanupFailed(Exception error, string step, string volume);
}
