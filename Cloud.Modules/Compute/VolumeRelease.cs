using Cloud.Modules.Kernel.Auth;
using Cloud.Modules.Volume;

namespace Cloud.Modules.Compute;

/// <summary>Gives a volume back when its instance goes (the host's terminate, and the API's local delete of an instance without a live host).</summary>
public static class VolumeRelease
{
    /// <summary>
    /// attaching → available (unreserved); in-use or detaching → available (detached); then deleted when
    /// <paramref name="honourDeleteOnTermination"/> and the mapping said delete_on_termination.
    /// </summary>
    public static async Task ReleaseAsync(VolumeApi volumes, RequestContext context, VolumeInfo volume, bool honourDeleteOnTermination, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(volumes);
        ArgumentNullException.ThrowIfNull(volume);
        if (volume.Status == VolumeStatuses.Attaching)
        {
            await volumes.UnreserveAsync(context, volume.Uuid, cancellationToken).ConfigureAwait(false);
        }
        else
        {
            await volumes.DetachedAsync(context, volume.Uuid, cancellationToken).ConfigureAwait(false);
        }
        if (honourDeleteOnTermination && volume.DeleteOnTermination)
        {
            await volumes.DeleteAsync(context, volume.Uuid, cancellationToken).ConfigureAwait(false);
        }
    }
}
