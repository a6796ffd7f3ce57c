namespace Cloud.Modules.Volume.Db;

/// <summary>A volume row to insert (status creating), with the project's limits it must fit (-1: unlimited).</summary>
public sealed record NewVolume(
    string Uuid,
    string ProjectId,
    string UserId,
    string? Name,
    string? Description,
    long SizeGb,
    string AvailabilityZone,
    string VolumeType,
    string? SnapshotUuid,
    string? SourceVolumeUuid,
    string? Host,
    bool Bootable,
    IReadOnlyDictionary<string, string> Metadata,
    long VolumesLimit,
    long GigabytesLimit,
    string? ImageId = null);
