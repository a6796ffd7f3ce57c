namespace Cloud.Modules.Compute.Db;

/// <summary>SQL of the migrations table (resizes) and of the claims a resize holds on its hosts.</summary>
internal static class MigrationQueries
{
    private const string Columns =
        "id AS Id, uuid AS Uuid, instance_uuid AS InstanceUuid, project_id AS ProjectId, user_id AS UserId, source_compute AS SourceCompute, " +
        "dest_compute AS DestCompute, old_instance_type_id AS OldInstanceTypeId, new_instance_type_id AS NewInstanceTypeId, " +
        "old_memory_mb AS OldMemoryMb, old_vcpus AS OldVcpus, old_root_gb AS OldRootGb, new_memory_mb AS NewMemoryMb, new_vcpus AS NewVcpus, " +
        "new_root_gb AS NewRootGb, old_vm_state AS OldVmState, migration_type AS MigrationType, status AS Status, created_at AS CreatedAt, updated_at AS UpdatedAt";

    public const string Insert = """
        INSERT INTO migrations (uuid, instance_uuid, project_id, user_id, source_compute, dest_compute, old_instance_type_id, new_instance_type_id,
            old_memory_mb, old_vcpus, old_root_gb, new_memory_mb, new_vcpus, new_root_gb, old_vm_state, migration_type, status, created_at, updated_at)
        VALUES (@Uuid, @InstanceUuid, @ProjectId, @UserId, @SourceCompute, NULL, @OldInstanceTypeId, @NewInstanceTypeId,
            @OldMemoryMb, @OldVcpus, @OldRootGb, @NewMemoryMb, @NewVcpus, @NewRootGb, @OldVmState, @MigrationType, 'pre-migrating', @Now, @Now)
        """;

    public const string ByUuid = $"SELECT {Columns} FROM migrations WHERE uuid = @Uuid";

    /// <summary>The instance's resize waiting for confirm or revert (status finished), the newest first.</summary>
    public const string FinishedOf = $"SELECT {Columns} FROM migrations WHERE instance_uuid = @InstanceUuid AND status = 'finished' ORDER BY id DESC";

    /// <summary>os-migrations: every project's (admin), newest first, with its optional filters.</summary>
    public const string List = $"""
        SELECT {Columns} FROM migrations
        WHERE (@InstanceUuid IS NULL OR instance_uuid = @InstanceUuid)
          AND (@Status IS NULL OR status = @Status)
          AND (@Host IS NULL OR source_compute = @Host OR dest_compute = @Host)
          AND (@MigrationType IS NULL OR migration_type = @MigrationType)
          AND (@ProjectId IS NULL OR project_id = @ProjectId)
        ORDER BY id DESC
        """;

    /// <summary>Resizes waiting on <c>@Host</c> (their source) since before <c>@Before</c>: auto-confirmed after --resize_confirm_window.</summary>
    public const string FinishedOnSourceBefore = $"SELECT {Columns} FROM migrations WHERE source_compute = @Host AND status = 'finished' AND updated_at < @Before ORDER BY id";

    public const string SetDest = "UPDATE migrations SET dest_compute = @Dest, updated_at = @Now WHERE uuid = @Uuid";

    /// <summary>Moves the status on only from <c>@From</c>, so a redelivered message or a second confirm does nothing.</summary>
    public const string MoveStatus = "UPDATE migrations SET status = @To, updated_at = @Now WHERE uuid = @Uuid AND status IN @From";

    /// <summary>The resize's claim on a host other than the instance's (ComputeNodeQueries.Claim without assigning the instance).</summary>
    public const string Claim = """
        UPDATE compute_nodes SET memory_mb_used = memory_mb_used + @MemoryMb, vcpus_used = vcpus_used + @Vcpus,
            local_gb_used = local_gb_used + @RootGb
        WHERE host = @Host
            AND memory_mb_used + @MemoryMb <= memory_mb * @RamRatio
            AND vcpus_used + @Vcpus <= vcpus * @CpuRatio
            AND local_gb_used + @RootGb <= local_gb * @DiskRatio
        """;
}
