namespace Cloud.Modules.Volume;

/// <summary>What a tenant asks for when creating a volume (EC2 CreateVolume, os-volumes, Cinder POST /volumes).</summary>
/// <param name="SizeGb">Size in GiB; may be null when <paramref name="SnapshotUuid"/> or <paramref name="SourceVolumeUuid"/> gives it.</param>
/// <param name="Name">Display name (at most 255 characters).</param>
/// <param name="Description">Display description (at most 255 characters).</param>
/// <param name="AvailabilityZone">Zone; null = <c>--storage_availability_zone</c>. An unknown zone is refused.</param>
/// <param name="SnapshotUuid">Create from this snapshot (the caller's project's, available).</param>
/// <param name="SourceVolumeUuid">Clone this volume (the caller's project's, available or in-use).</param>
/// <param name="VolumeType">Type name or id; null = the default type.</param>
/// <param name="Metadata">Key/value metadata (keys 1–255, values up to 255 characters).</param>
/// <param name="ImageRef">Create from this image (visible to the caller's project, active, fitting the size); the volume becomes bootable.</param>
public sealed record CreateVolumeRequest(
    long? SizeGb,
    string? Name = null,
    string? Description = null,
    string? AvailabilityZone = null,
    string? SnapshotUuid = null,
    string? SourceVolumeUuid = null,
    string? VolumeType = null,
    IReadOnlyDictionary<string, string>? Metadata = null,
    string? ImageRef = null);
