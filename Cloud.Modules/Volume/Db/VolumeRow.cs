namespace Cloud.Modules.Volume.Db;

/// <summary>
/// One row of <c>volumes</c> as stored, with what the APIs never show (the backing path, the CHAP credentials, the size
/// an extend asked for); <see cref="ToInfo"/> gives the API's view.
/// </summary>
/// <remarks>A class with init properties so Dapper can fill it from SQLite's storage types.</remarks>
public sealed class VolumeRow
{
    public long Id { get; init; }

    public string Uuid { get; init; } = "";

    public string ProjectId { get; init; } = "";

    public string UserId { get; init; } = "";

    public string? Name { get; init; }

    public string? Description { get; init; }

    public long SizeGb { get; init; }

    /// <summary>The size an extend in progress asked for; null otherwise.</summary>
    public long? ExtendingToGb { get; init; }

    public string AvailabilityZone { get; init; } = "";

    public string Status { get; init; } = VolumeStatuses.Creating;

    public string? StatusReason { get; init; }

    public string? Host { get; init; }

    public string VolumeType { get; init; } = "";

    public string? SnapshotUuid { get; init; }

    public string? SourceVolumeUuid { get; init; }

    public bool Bootable { get; init; }

    public string AttachStatus { get; init; } = "detached";

    public string? AttachmentId { get; init; }

    public string? InstanceUuid { get; init; }

    public string? AttachedHost { get; init; }

    public string? Mountpoint { get; init; }

    public DateTime? AttachedAt { get; init; }

    public bool DeleteOnTermination { get; init; }

    public int? BootIndex { get; init; }

    /// <summary>The backing path the manager exports; null until created.</summary>
    public string? ProviderLocation { get; init; }

    /// <summary>"CHAP &lt;user&gt; &lt;secret&gt;": secret, never shown or logged.</summary>
    public string? ProviderAuth { get; init; }

    public DateTime CreatedAt { get; init; }

    public DateTime? UpdatedAt { get; init; }

    /// <summary>The API's view of the volume with its metadata (and what it keeps of its image, if any).</summary>
    public VolumeInfo ToInfo(IReadOnlyDictionary<string, string> metadata, IReadOnlyDictionary<string, string>? imageMetadata = null) => new()
    {
        Id = Id, Uuid = Uuid, ProjectId = ProjectId, UserId = UserId, Name = Name, Description = Description, SizeGb = SizeGb,
        AvailabilityZone = AvailabilityZone, Status = Status, StatusReason = StatusReason, Host = Host, VolumeType = VolumeType,
        SnapshotUuid = SnapshotUuid, SourceVolumeUuid = SourceVolumeUuid, Bootable = Bootable, AttachStatus = AttachStatus,
        AttachmentId = AttachmentId, InstanceUuid = InstanceUuid, AttachedHost = AttachedHost, Mountpoint = Mountpoint,
        AttachedAt = AttachedAt, DeleteOnTermination = DeleteOnTermination, BootIndex = BootIndex, CreatedAt = CreatedAt,
        UpdatedAt = UpdatedAt, Metadata = metadata, ImageMetadata = imageMetadata ?? new Dictionary<string, string>(),
    };

    /// <summary>Keeps the CHAP secret out of logs and exception messages.</summary>
    public override string ToString() => $"VolumeRow {{ Id = {Id}, Uuid = {Uuid}, Status = {Status}, Host = {Host} }}";
}
