using System.Globalization;
using Cloud.Modules.Glance.Registry;
using Cloud.Modules.Identity;
using Cloud.Modules.Kernel;
using Microsoft.Extensions.Options;

namespace Cloud.Modules.Glance;

/// <summary>
/// The image quotas of an owner (project): how many images it may have (the <c>images</c> quota, default
/// <c>quota_images</c>) and how many bytes of data they may hold (<c>user_storage_quota</c> for every owner, and the
/// project's <c>object_bytes</c> quota, default <c>quota_object_bytes</c>), both 413 with
/// glance's words when passed. Images of an owner that is no project (an admin's choice) are not counted.
/// </summary>
public sealed class GlanceQuotas(ImageRegistry registry, IdentityApi identity, IOptions<GlanceFlags> flags)
{
    /// <summary>Refuses one more image for <paramref name="owner"/> when it already has as many as its quota.</summary>
    public async Task CheckImageCountAsync(string owner, CancellationToken cancellationToken)
    {
        var limits = await LimitsAsync(owner, cancellationToken).ConfigureAwait(false);
        var limit = limits is not null && limits.TryGetValue("images", out var l) ? l : -1;
        if (limit < 0)
        {
            return;
        }
        var (images, _) = await registry.UsageAsync(owner, null, cancellationToken).ConfigureAwait(false);
        if (images + 1 > limit)
        {
            throw CloudException.TooLarge(string.Create(CultureInfo.InvariantCulture, $"Resource image_count is over limit of {limit} due to the current usage {images} and delta 1"));
        }
    }

    /// <summary>How many bytes image <paramref name="imageId"/> of <paramref name="owner"/> may hold (long.MaxValue: unlimited).</summary>
    public async Task<long> RemainingBytesAsync(string owner, string imageId, CancellationToken cancellationToken)
    {
        // The tighter of glance's flag for every owner and the project's own object_bytes quota (quota_object_bytes,
        // or what `manage project quota` set), so an operator can limit one project without limiting all.
        var limits = await LimitsAsync(owner, cancellationToken).ConfigureAwait(false);
        var project = limits is not null && limits.TryGetValue("object_bytes", out var b) && b >= 0 ? b : long.MaxValue;
        var quota = Math.Min(flags.Value.UserStorageQuota > 0 ? flags.Value.UserStorageQuota : long.MaxValue, project);
        if (quota == long.MaxValue)
        {
            return long.MaxValue;
        }
        var (_, bytes) = await registry.UsageAsync(owner, imageId, cancellationToken).ConfigureAwait(false);
        return Math.Max(0, quota - bytes);
    }

    /// <summary>The owner's image count and byte limits as <c>/v2/info/usage</c> shows them; -1: unlimited.</summary>
    public async Task<(long Images, long Bytes)> LimitsOfAsync(string owner, CancellationToken cancellationToken)
    {
        var limits = await LimitsAsync(owner, cancellationToken).ConfigureAwait(false);
        var images = limits is not null && limits.TryGetValue("images", out var i) ? i : -1;
        var project = limits is not null && limits.TryGetValue("object_bytes", out var b) && b >= 0 ? b : long.MaxValue;
        var bytes = Math.Min(flags.Value.UserStorageQuota > 0 ? flags.Value.UserStorageQuota : long.MaxValue, project);
        return (images, bytes == long.MaxValue ? -1 : bytes);
    }

    /// <summary>glance's StorageQuotaFull, as its image data API answers it (413).</summary>
    public static CloudException StorageQuotaFull(long size, long remaining) =>
        CloudException.TooLarge(string.Create(CultureInfo.InvariantCulture, $"Image exceeds the storage quota: The size of the data {size} will exceed the limit. {remaining} bytes remaining."));

    private async Task<IReadOnlyDictionary<string, long>?> LimitsAsync(string owner, CancellationToken cancellationToken)
    {
        try
        {
            return await identity.QuotasOfProjectAsync(owner, cancellationToken).ConfigureAwait(false);
        }
        catch (CloudException e) when (e.Kind == CloudErrorKind.NotFound)
        {
            return null;
        }
    }
}
