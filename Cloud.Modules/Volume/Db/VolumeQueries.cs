namespace Cloud.Modules.Volume.Db;

/// <summary>SQL of the volumes and volume_metadata tables. State changes are conditional UPDATEs: the row decides who wins.</summary>
internal static class VolumeQueries
{
    private const string Columns = "id AS Id, uuid AS Uuid, project_id AS ProjectId, user_id AS UserId, display_name AS Name, "
        + "display_description AS Description, size_gb AS SizeGb, extending_to_gb AS ExtendingToGb, availability_zone AS AvailabilityZone, "
        + "status AS Status, status_reason AS StatusReason, host AS Host, volume_type AS VolumeType, snapshot_uuid AS SnapshotUuid, "
        + "source_volume_uuid AS SourceVolumeUuid, bootable AS Bootable, attach_status AS AttachStatus, attachment_id AS AttachmentId, "
        + "instance_uuid AS InstanceUuid, attached_host AS AttachedHost, mountpoint AS Mountpoint, attached_at AS AttachedAt, "
        + "delete_on_termination AS DeleteOnTermination, boot_index AS BootIndex, provider_location AS ProviderLocation, "
        + "provider_auth AS ProviderAuth, created_at AS CreatedAt, updated_at AS UpdatedAt";

    /// <summary>Gigabytes a project holds: its volumes (at the size an extend asked for) and its snapshots.</summary>
    private const string GigabytesOfProject = "(SELECT COALESCE(SUM(COALESCE(extending_to_gb, size_gb)), 0) FROM volumes WHERE project_id = @ProjectId) "
        + "+ (SELECT COALESCE(SUM(size_gb), 0) FROM snapshots WHERE project_id = @ProjectId)";

    public const string ByUuid = $"SELECT {Columns} FROM volumes WHERE uuid = @Uuid";

    public const string IdOfUuid = "SELECT id FROM volumes WHERE uuid = @Uuid";

    public const string ById = $"SELECT {Columns} FROM volumes WHERE id = @Id";

    public const string List = $"SELECT {Columns} FROM volumes WHERE (@AllProjects = 1 OR project_id = @ProjectId) "
        + "AND (@Name IS NULL OR display_name = @Name) AND (@Status IS NULL OR status = @Status) ORDER BY created_at DESC, id DESC";

    public const string All = $"SELECT {Columns} FROM volumes ORDER BY id";

    public const string OnHost = $"SELECT {Columns} FROM volumes WHERE host = @Host ORDER BY id";

    public const string OfInstance = $"SELECT {Columns} FROM volumes WHERE instance_uuid = @InstanceUuid ORDER BY id";

    /// <summary>Volumes in a transitional state whose last change is older than the deadline.</summary>
    public const string Stuck = $"SELECT {Columns} FROM volumes WHERE status IN @Statuses AND COALESCE(updated_at, created_at) < @Before ORDER BY id";

    /// <summary>
    /// Inserts the volume only while the project's quotas allow it, in one statement (no check-then-insert race): a
    /// limit below 0 is unlimited. Zero rows inserted = over quota.
    /// </summary>
    public const string InsertWithinQuota = "INSERT INTO volumes (uuid, project_id, user_id, display_name, display_description, size_gb, "
        + "availability_zone, status, host, volume_type, snapshot_uuid, source_volume_uuid, bootable, attach_status, created_at, updated_at) "
        + "SELECT @Uuid, @ProjectId, @UserId, @Name, @Description, @SizeGb, @AvailabilityZone, 'creating', @Host, @VolumeType, @SnapshotUuid, "
        + "@SourceVolumeUuid, @Bootable, 'detached', @Now, @Now FROM (SELECT 1 AS one) AS single_row "
        + "WHERE (@VolumesLimit < 0 OR (SELECT COUNT(*) FROM volumes WHERE project_id = @ProjectId) < @VolumesLimit) "
        + $"AND (@GigabytesLimit < 0 OR {GigabytesOfProject} + @SizeGb <= @GigabytesLimit)";

    /// <summary>Number of volumes and gigabytes the project holds (for the over-quota message).</summary>
    public const string Usage = $"SELECT (SELECT COUNT(*) FROM volumes WHERE project_id = @ProjectId) AS Volumes, {GigabytesOfProject} AS Gigabytes";

    public const string MetadataOf = "SELECT volume_id AS VolumeId, `key` AS `Key`, value AS Value FROM volume_metadata WHERE volume_id IN @Ids ORDER BY `key`";

    public const string InsertMetadata = "INSERT INTO volume_metadata (volume_id, `key`, value) VALUES (@VolumeId, @Key, @Value)";

    public const string DeleteMetadata = "DELETE FROM volume_metadata WHERE volume_id = @VolumeId";

    public const string UpdateNames = "UPDATE volumes SET display_name = COALESCE(@Name, display_name), "
        + "display_description = COALESCE(@Description, display_description), updated_at = @Now WHERE id = @Id";

    public const string SetBootable = "UPDATE volumes SET bootable = @Bootable, updated_at = @Now WHERE id = @Id";

    /// <summary>Moves the volume from one of <c>@From</c> to <c>@To</c>; zero rows = it was not in one of them.</summary>
    public const string Transition = "UPDATE volumes SET status = @To, status_reason = NULL, updated_at = @Now WHERE uuid = @Uuid AND status IN @From";

    /// <summary>The volume goes to <c>@To</c> (an error status) with a reason, from one of <c>@From</c>; an extend in progress is dropped.</summary>
    public const string Fail = "UPDATE volumes SET status = @To, status_reason = @Reason, extending_to_gb = NULL, updated_at = @Now WHERE uuid = @Uuid AND status IN @From";

    /// <summary>
    /// available/error… → deleting, only when detached and without snapshots (Cinder's rule); zero rows = refused.
    /// </summary>
    public const string BeginDelete = "UPDATE volumes SET status = 'deleting', status_reason = NULL, updated_at = @Now "
        + "WHERE uuid = @Uuid AND status IN @From AND attach_status = 'detached' "
        + "AND NOT EXISTS (SELECT 1 FROM snapshots WHERE snapshots.volume_id = volumes.id)";

    /// <summary>manage volume delete: deleting whatever the status, the attachment cleared (nova-manage's volume delete).</summary>
    public const string ForceDelete = "UPDATE volumes SET status = 'deleting', status_reason = NULL, attach_status = 'detached', attachment_id = NULL, "
        + "instance_uuid = NULL, attached_host = NULL, mountpoint = NULL, attached_at = NULL, updated_at = @Now WHERE id = @Id";

    /// <summary>
    /// available → extending within the gigabytes quota (the derived table lets MariaDB read the table it updates).
    /// </summary>
    public const string BeginExtend = "UPDATE volumes SET status = 'extending', extending_to_gb = @NewSizeGb, status_reason = NULL, updated_at = @Now "
        + "WHERE uuid = @Uuid AND status = 'available' AND (@GigabytesLimit < 0 OR "
        + $"(SELECT used FROM (SELECT {GigabytesOfProject} AS used) AS project_usage) - size_gb + @NewSizeGb <= @GigabytesLimit)";

    public const string Extended = "UPDATE volumes SET status = 'available', size_gb = extending_to_gb, extending_to_gb = NULL, updated_at = @Now "
        + "WHERE uuid = @Uuid AND status = 'extending' AND extending_to_gb IS NOT NULL";

    /// <summary>The scheduler's choice: recorded once (a redelivered placement to the same host changes nothing).</summary>
    public const string Place = "UPDATE volumes SET host = @Host, updated_at = @Now WHERE uuid = @Uuid AND status = 'creating' AND (host IS NULL OR host = @Host)";

    public const string Created = "UPDATE volumes SET status = 'available', status_reason = NULL, provider_location = @ProviderLocation, "
        + "provider_auth = @ProviderAuth, updated_at = @Now WHERE uuid = @Uuid AND status = 'creating'";

    public const string Reserve = "UPDATE volumes SET status = 'attaching', attach_status = 'attaching', attachment_id = @AttachmentId, "
        + "instance_uuid = @InstanceUuid, mountpoint = @Mountpoint, delete_on_termination = @DeleteOnTermination, boot_index = @BootIndex, "
        + "updated_at = @Now WHERE uuid = @Uuid AND status = 'available'";

    public const string Attached = "UPDATE volumes SET status = 'in-use', attach_status = 'attached', attached_host = @Host, mountpoint = @Mountpoint, "
        + "attached_at = @Now, updated_at = @Now WHERE uuid = @Uuid AND instance_uuid = @InstanceUuid AND status IN ('attaching', 'in-use')";

    public const string Detach = "UPDATE volumes SET status = 'available', attach_status = 'detached', attachment_id = NULL, instance_uuid = NULL, "
        + "attached_host = NULL, mountpoint = NULL, attached_at = NULL, delete_on_termination = 0, boot_index = NULL, updated_at = @Now "
        + "WHERE uuid = @Uuid AND status IN @From";

    public const string SetAttachStatus = "UPDATE volumes SET status = @To, attach_status = @AttachStatus, updated_at = @Now WHERE uuid = @Uuid AND status IN @From";

    public const string Delete = "DELETE FROM volumes WHERE id = @Id";

    public const string DeleteMetadataOfDeleted = "DELETE FROM volume_metadata WHERE volume_id = @Id";

    /// <summary>GiB placed on each volume host (SimpleScheduler's allocated gigabytes).</summary>
    public const string AllocatedByHost = "SELECT host AS Host, COALESCE(SUM(COALESCE(extending_to_gb, size_gb)), 0) AS Gigabytes "
        + "FROM volumes WHERE host IS NOT NULL GROUP BY host";
}
