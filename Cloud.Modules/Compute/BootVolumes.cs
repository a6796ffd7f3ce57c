using Cloud.Modules.Kernel;
using Cloud.Modules.Kernel.Auth;
using Cloud.Modules.Volume;

namespace Cloud.Modules.Compute;

/// <summary>
/// The volumes of a create request's block device mappings (nova's _validate_bdm and check_attach): each the caller's
/// project's and available, each once, at most one root (boot index 0), each with a free, valid device; then reserved
/// for the new instance, all or none.
/// </summary>
public static class BootVolumes
{
    /// <summary>The mappings with their device decided (the root volume is /dev/vda); 400 with nova's message for a bad one.</summary>
    public static async Task<IReadOnlyList<BlockDeviceMapping>> ValidateAsync(VolumeApi volumes, RequestContext context, CreateInstancesRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(volumes);
        ArgumentNullException.ThrowIfNull(request);
        var mappings = request.BlockDeviceMappings;
        if (mappings.Count == 0)
        {
            return [];
        }
        if (request.MaxCount > 1)
        {
            throw CloudException.Invalid("Cannot attach one or more volumes to multiple instances");
        }
        if (mappings.Count(m => m.BootIndex == 0) > 1)
        {
            throw CloudException.Invalid("Block Device Mapping is Invalid: Boot sequence for the instance and image/block device mapping combination is not valid.");
        }
        if (mappings.GroupBy(m => m.VolumeUuid, StringComparer.OrdinalIgnoreCase).FirstOrDefault(g => g.Count() > 1) is { } twice)
        {
            throw CloudException.Invalid($"Invalid volume: volume {twice.Key} is mapped more than once.");
        }
        foreach (var mapping in mappings)
        {
            var volume = await FindAsync(volumes, context, mapping.VolumeUuid, cancellationToken).ConfigureAwait(false);
            if (volume.Status != VolumeStatuses.Available)
            {
                throw CloudException.Invalid($"Invalid volume: volume '{volume.Uuid}' status must be 'available'. Currently in '{volume.Status}'");
            }
        }
        var used = new List<string?>();
        var decided = new List<BlockDeviceMapping>();
        foreach (var mapping in mappings.OrderBy(m => m.BootIndex != 0).ThenBy(m => m.DeviceName is null))
        {
            var device = mapping.BootIndex == 0 ? VolumeDevices.Root : VolumeDevices.Choose(mapping.DeviceName, used);
            used.Add(device);
            decided.Add(mapping with { DeviceName = device });
        }
        return decided;
    }

    /// <summary>Reserves every mapped volume for the instance; if one cannot be, the ones reserved are given back and the error is thrown.</summary>
    public static async Task ReserveAsync(VolumeApi volumes, RequestContext context, string instanceUuid, IReadOnlyList<BlockDeviceMapping> mappings, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(volumes);
        ArgumentNullException.ThrowIfNull(mappings);
        var reserved = new List<string>();
        try
        {
            foreach (var m in mappings)
            {
                await volumes.ReserveAsync(context, m.VolumeUuid, instanceUuid, m.DeviceName, m.DeleteOnTermination, m.BootIndex, cancellationToken).ConfigureAwait(false);
                reserved.Add(m.VolumeUuid);
            }
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            foreach (var uuid in reserved)
            {
                await volumes.UnreserveAsync(context, uuid, CancellationToken.None).ConfigureAwait(false);
            }
            throw;
        }
    }

    /// <summary>
    /// The kernel and ramdisk a server booted from a volume made from an AMI-style image boots with: those the volume
    /// keeps of its image (kernel_id, ramdisk_id), as nova takes a volume's image metadata for the image's; nulls otherwise.
    /// </summary>
    public static async Task<(string? KernelId, string? RamdiskId)> KernelAndRamdiskAsync(VolumeApi volumes, RequestContext context, IReadOnlyList<BlockDeviceMapping> mappings, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(mappings);
        if (mappings.FirstOrDefault(m => m.BootIndex == 0) is not { } root)
        {
            return (null, null);
        }
        var image = (await FindAsync(volumes, context, root.VolumeUuid, cancellationToken).ConfigureAwait(false)).ImageMetadata;
        return (image.GetValueOrDefault(VolumeImageKeys.KernelId), image.GetValueOrDefault(VolumeImageKeys.RamdiskId));
    }

    /// <summary>An unknown volume, or another project's, makes the request invalid (nova's InvalidBDMVolume).</summary>
    private static async Task<VolumeInfo> FindAsync(VolumeApi volumes, RequestContext context, string uuid, CancellationToken cancellationToken)
    {
        try
        {
            return await volumes.GetAsync(context, uuid, cancellationToken).ConfigureAwait(false);
        }
        catch (CloudException e) when (e.Kind == CloudErrorKind.NotFound)
        {
            throw CloudException.Invalid($"Block Device Mapping is Invalid: failed to get volume {uuid}.");
        }
    }
}
