using Cloud.Modules.Identity;
using Cloud.Modules.Kernel;
using Cloud.Modules.Volume.Db;

namespace Cloud.Modules.Volume;

/// <summary>
/// The project's volume quotas (<c>volumes</c>, <c>gigabytes</c>; -1 = unlimited) and Cinder's over-quota errors (413).
/// The check itself is in the store's conditional INSERT/UPDATE, so two concurrent requests cannot both pass it.
/// </summary>
public sealed class VolumeQuotas(IdentityApi identity, VolumeStore volumes)
{
    public async Task<(long Volumes, long Gigabytes)> LimitsAsync(string projectId, CancellationToken cancellationToken)
    {
        var limits = await identity.QuotasOfProjectAsync(projectId, cancellationToken).ConfigureAwait(false);
        return (limits.TryGetValue("volumes", out var v) ? v : -1, limits.TryGetValue("gigabytes", out var g) ? g : -1);
    }

    /// <summary>The error for a request the quotas refused: the volumes count when that is what ran out, else gigabytes.</summary>
    public async Task<CloudException> ExceededAsync(string projectId, long requestedGb, bool newVolume, CancellationToken cancellationToken)
    {
        var (volumesLimit, gigabytesLimit) = await LimitsAsync(projectId, cancellationToken).ConfigureAwait(false);
        var usage = await volumes.UsageAsync(projectId, cancellationToken).ConfigureAwait(false);
        return newVolume && volumesLimit >= 0 && usage.Volumes >= volumesLimit
            ? VolumesExceeded(volumesLimit)
            : GigabytesExceeded(requestedGb, gigabytesLimit, usage.Gigabytes);
    }

    public static CloudException VolumesExceeded(long limit) =>
        CloudException.TooLarge($"VolumeLimitExceeded: Maximum number of volumes allowed ({limit}) exceeded for quota 'volumes'.");

    public static CloudException GigabytesExceeded(long requestedGb, long limit, long consumedGb) =>
        CloudException.TooLarge($"VolumeSizeExceedsAvailableQuota: Requested volume or snapshot exceeds allowed gigabytes quota. Requested {requestedGb}G, quota is {limit}G and {consumedGb}G has been consumed.");
}
