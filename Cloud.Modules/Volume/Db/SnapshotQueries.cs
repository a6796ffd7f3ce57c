namespace Cloud.Modules.Volume.Db;

/// <summary>SQL of the snapshots table.</summary>
internal static class SnapshotQueries
{
    private const string Columns = "id AS Id, uuid AS Uuid, project_id AS ProjectId, user_id AS UserId, volume_uuid AS VolumeUuid, "
        + "volume_id AS VolumeId, display_name AS Name, display_description AS Description, size_gb AS SizeGb, status AS Status, "
        + "status_reason AS StatusReason, progress AS Progress, host AS Host, created_at AS CreatedAt, updated_at AS UpdatedAt";

    public const string ByUuid = $"SELECT {Columns} FROM snapshots WHERE uuid = @Uuid";

    public const string ById = $"SELECT {Columns} FROM snapshots WHERE id = @Id";

    public const string List = $"SELECT {Columns} FROM snapshots WHERE (@AllProjects = 1 OR project_id = @ProjectId) "
        + "AND (@VolumeUuid IS NULL OR volume_uuid = @VolumeUuid) ORDER BY created_at DESC, id DESC";

    public const string OfVolume = $"SELECT {Columns} FROM snapshots WHERE volume_id = @VolumeId ORDER BY id";

    public const string Stuck = $"SELECT {Columns} FROM snapshots WHERE status IN @Statuses AND COALESCE(updated_at, created_at) < @Before ORDER BY id";

    /// <summary>
    /// Inserts a snapshot of the volume only while the volume is in one of <c>@VolumeStatuses</c> and the project's
    /// gigabytes quota allows its size, in one statement; zero rows = refused.
    /// </summary>
    public const string InsertWithinQuota = "INSERT INTO snapshots (uuid, project_id, user_id, volume_id, volume_uuid, display_name, "
        + "display_description, size_gb, status, progress, host, created_at, updated_at) "
        + "SELECT @Uuid, v.project_id, @UserId, v.id, v.uuid, @Name, @Description, v.size_gb, 'creating', '0%', v.host, @Now, @Now "
        + "FROM volumes v WHERE v.id = @VolumeId AND v.status IN @VolumeStatuses AND (@GigabytesLimit < 0 OR "
        + "(SELECT COALESCE(SUM(COALESCE(extending_to_gb, size_gb)), 0) FROM volumes WHERE project_id = v.project_id) "
        + "+ (SELECT COALESCE(SUM(size_gb), 0) FROM snapshots WHERE project_id = v.project_id) + v.size_gb <= @GigabytesLimit)";

    public const string UpdateNames = "UPDATE snapshots SET display_name = COALESCE(@Name, display_name), "
        + "display_description = COALESCE(@Description, display_description), updated_at = @Now WHERE id = @Id";

    public const string Transition = "UPDATE snapshots SET status = @To, status_reason = NULL, updated_at = @Now WHERE uuid = @Uuid AND status IN @From";

    public const string Fail = "UPDATE snapshots SET status = @To, status_reason = @Reason, updated_at = @Now WHERE uuid = @Uuid AND status IN @From";

    public const string Created = "UPDATE snapshots SET status = 'available', progress = '100%', status_reason = NULL, updated_at = @Now "
        + "WHERE uuid = @Uuid AND status = 'creating'";

    public const string Delete = "DELETE FROM snapshots WHERE id = @Id";
}
