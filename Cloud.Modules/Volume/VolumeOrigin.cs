using Cloud.Modules.Kernel;
using Cloud.Modules.Kernel.Auth;

namespace Cloud.Modules.Volume;

/// <summary>
/// What a new volume is copied from (a snapshot or another volume), with what the copy inherits: its size, zone, host
/// (the bytes are there) and bootable flag. Null when the volume starts empty.
/// </summary>
internal sealed record VolumeOrigin(string? SnapshotUuid, string? SourceVolumeUuid, long SizeGb, string AvailabilityZone, string? Host, bool Bootable)
{
    private static readonly string[] Clonable = [VolumeStatuses.Available, VolumeStatuses.InUse];

    public static async Task<VolumeOrigin?> ResolveAsync(VolumeApi volumes, VolumeSnapshots snapshots, RequestContext context, CreateVolumeRequest request, CancellationToken cancellationToken)
    {
        if (request.SnapshotUuid is not null && request.SourceVolumeUuid is not null)
        {
            throw CloudException.Invalid("Invalid input received: Cannot create a volume from both a snapshot and a source volume.");
        }
        if (request.SnapshotUuid is { } snapshotUuid)
        {
            var snapshot = await snapshots.VisibleAsync(context, snapshotUuid, cancellationToken).ConfigureAwait(false);
            if (snapshot.Status != SnapshotStatuses.Available)
            {
                throw CloudException.Invalid("Invalid snapshot: Originating snapshot status must be 'available'.");
            }
            var volume = await volumes.VisibleAsync(context, snapshot.VolumeUuid, cancellationToken).ConfigureAwait(false);
            return new VolumeOrigin(snapshot.Uuid, null, snapshot.SizeGb, volume.AvailabilityZone, volume.Host, volume.Bootable);
        }
        if (request.SourceVolumeUuid is { } sourceUuid)
        {
            var source = await volumes.VisibleAsync(context, sourceUuid, cancellationToken).ConfigureAwait(false);
            if (!Clonable.Contains(source.Status))
            {
                throw CloudException.Invalid($"Invalid volume: Source volume status must be 'available' or 'in-use', but current status is: {source.Status}.");
            }
            return new VolumeOrigin(null, source.Uuid, source.SizeGb, source.AvailabilityZone, source.Host, source.Bootable);
        }
        return null;
    }

    /// <summary>Refuses a size smaller than the origin, or a zone other than the origin's (Cinder's messages).</summary>
    public void CheckFits(long sizeGb, string? zone)
    {
        var what = SnapshotUuid is not null ? "snapshot" : "source volume";
        if (sizeGb < SizeGb)
        {
            throw CloudException.Invalid(SnapshotUuid is not null
                ? $"Invalid input received: Volume size '{sizeGb}'GB cannot be smaller than the snapshot size {SizeGb}GB. They must be >= original snapshot size."
                : $"Invalid input received: Volume size '{sizeGb}'GB cannot be smaller than original volume size {SizeGb}GB. They must be >= original volume size.");
        }
        if (zone is not null && zone != AvailabilityZone)
        {
            throw CloudException.Invalid($"Invalid input received: Volume must be in the same availability zone as the {what}");
        }
    }
}
