namespace Cloud.Modules.Compute.Db;

/// <summary>SQL of the instances, instance_actions, instance_metadata and instance_security_groups tables.</summary>
internal static class InstanceQueries
{
    internal const string Columns =
        "id AS Id, uuid AS Uuid, display_name AS DisplayName, project_id AS ProjectId, user_id AS UserId, image_ref AS ImageRef, " +
        "kernel_id AS KernelId, ramdisk_id AS RamdiskId, instance_type_id AS InstanceTypeId, memory_mb AS MemoryMb, vcpus AS Vcpus, " +
        "root_gb AS RootGb, key_name AS KeyName, key_data AS KeyData, user_data AS UserData, reservation_id AS ReservationId, " +
        "launch_index AS LaunchIndex, host AS Host, availability_zone AS AvailabilityZone, vm_state AS VmState, task_state AS TaskState, " +
        "power_state AS PowerState, launched_at AS LaunchedAt, terminated_at AS TerminatedAt, deleted AS Deleted, " +
        "fault_code AS FaultCode, fault_message AS FaultMessage, created_at AS CreatedAt, updated_at AS UpdatedAt, " +
        "description AS Description, access_ip_v4 AS AccessIpV4, access_ip_v6 AS AccessIpV6, locked AS Locked, locked_by AS LockedBy, " +
        "locked_reason AS LockedReason, no_network AS NoNetwork";

    public const string ByUuid = $"SELECT {Columns} FROM instances WHERE uuid = @Uuid";

    public const string ById = $"SELECT {Columns} FROM instances WHERE id = @Id";

    public const string ByUuids = $"SELECT {Columns} FROM instances WHERE uuid IN @Uuids ORDER BY launch_index";

    /// <summary>Deleted rows too: a guest's instance may be gone.</summary>
    public const string ByIds = $"SELECT {Columns} FROM instances WHERE id IN @Ids";

    public const string OnHost = $"SELECT {Columns} FROM instances WHERE host = @Host AND deleted = 0 ORDER BY id";

    /// <summary>What the project holds against its quotas: live instances, their cores and RAM.</summary>
    public const string Usage = """
        SELECT COUNT(*) AS Instances, COALESCE(SUM(vcpus), 0) AS Cores, COALESCE(SUM(memory_mb), 0) AS Ram
        FROM instances WHERE project_id = @ProjectId AND deleted = 0
        """;

    public const string SetStates = """
        UPDATE instances SET vm_state = @VmState, task_state = @TaskState, power_state = @PowerState, updated_at = @Now
        WHERE uuid = @Uuid AND deleted = 0
        """;

    public const string SetTaskState = "UPDATE instances SET task_state = @TaskState, updated_at = @Now WHERE uuid = @Uuid AND deleted = 0";

    /// <summary>Starts a task only when none runs, so two actions cannot overlap on one instance.</summary>
    public const string BeginTask = """
        UPDATE instances SET task_state = @TaskState, updated_at = @Now
        WHERE uuid = @Uuid AND deleted = 0 AND task_state IS NULL AND vm_state IN @FromStates
        """;

    public const string SetPowerState = "UPDATE instances SET power_state = @PowerState, updated_at = @Now WHERE uuid = @Uuid AND deleted = 0";

    public const string SetLaunched = """
        UPDATE instances SET vm_state = 'active', task_state = NULL, power_state = @PowerState, launched_at = @Now, updated_at = @Now
        WHERE uuid = @Uuid AND deleted = 0
        """;

    /// <summary>What <see cref="SetLaunched"/> writes, but only while the instance is still building (a build that ended meanwhile, in ERROR say, stays as it is).</summary>
    public const string AdoptBuild = """
        UPDATE instances SET vm_state = 'active', task_state = NULL, power_state = @PowerState, launched_at = @Now, updated_at = @Now
        WHERE uuid = @Uuid AND deleted = 0 AND vm_state = 'building'
        """;

    /// <summary>
    /// run_instance claims the build on its host: only a live instance of @Host still building, with no task or a build
    /// step (@From: a delivery that died half-way is resumed), moves to networking; a deleting, deleted, failed or
    /// active one matches nothing, so a late or duplicate run_instance cannot start it.
    /// </summary>
    public const string BeginBuild = """
        UPDATE instances SET task_state = 'networking', updated_at = @Now
        WHERE uuid = @Uuid AND host = @Host AND deleted = 0 AND vm_state = 'building' AND (task_state IS NULL OR task_state IN @From)
        """;

    /// <summary>The next build step, only from the step before it (a delete or a fault meanwhile stops the build).</summary>
    public const string AdvanceBuild = """
        UPDATE instances SET task_state = @To, updated_at = @Now
        WHERE uuid = @Uuid AND deleted = 0 AND vm_state = 'building' AND task_state = @From
        """;

    /// <summary>The build's end: active, only while its spawn step is still what the instance is doing.</summary>
    public const string FinishBuild = """
        UPDATE instances SET vm_state = 'active', task_state = NULL, power_state = @PowerState, launched_at = @Now, updated_at = @Now
        WHERE uuid = @Uuid AND deleted = 0 AND vm_state = 'building' AND task_state = 'spawning'
        """;

    public const string SetFault = """
        UPDATE instances SET vm_state = 'error', task_state = NULL, fault_code = @FaultCode, fault_message = @FaultMessage, updated_at = @Now
        WHERE uuid = @Uuid AND deleted = 0
        """;

    /// <summary>No valid host: ERROR with a fault, unless a concurrent delivery of the same request placed the instance meanwhile.</summary>
    public const string SetFaultIfUnplaced = """
        UPDATE instances SET vm_state = 'error', task_state = NULL, fault_code = @FaultCode, fault_message = @FaultMessage, updated_at = @Now
        WHERE uuid = @Uuid AND deleted = 0 AND host IS NULL
        """;

    /// <summary>Of some instances, those that keep their fixed IP: live, and not failed before they ever launched.</summary>
    public const string KeepingAddresses = """
        SELECT uuid FROM instances
        WHERE uuid IN @Uuids AND deleted = 0 AND NOT (vm_state = 'error' AND launched_at IS NULL)
        """;

    public const string SetHost = "UPDATE instances SET host = @Host, task_state = NULL, updated_at = @Now WHERE uuid = @Uuid AND deleted = 0 AND host IS NULL";

    public const string MarkDeleted = """
        UPDATE instances SET deleted = 1, vm_state = 'deleted', task_state = NULL, power_state = 0, terminated_at = @Now, updated_at = @Now
        WHERE uuid = @Uuid AND deleted = 0
        """;

    public const string InsertAction = InsertActionRows + " VALUES (@Uuid, @Action, @RequestId, @UserId, @ProjectId, @Message, @Now)";

    /// <summary>The head of the multi-row INSERT of new instances (<see cref="InsertBatch"/> adds the rows): building, scheduling, not deleted.</summary>
    public const string InsertRows = """
        INSERT INTO instances (uuid, display_name, project_id, user_id, image_ref, kernel_id, ramdisk_id, instance_type_id,
            memory_mb, vcpus, root_gb, key_name, key_data, user_data, reservation_id, launch_index, availability_zone,
            vm_state, task_state, power_state, deleted, created_at, updated_at, no_network)
        """;

    /// <summary>The head of an instance_actions INSERT: <see cref="InsertAction"/> adds one row's values, <see cref="InsertBatch"/> many.</summary>
    public const string InsertActionRows = "INSERT INTO instance_actions (instance_uuid, action, request_id, user_id, project_id, message, start_time)";

    public const string InsertMetadataRows = "INSERT INTO instance_metadata (instance_uuid, `key`, value)";

    public const string AddSecurityGroupRows = "INSERT INTO instance_security_groups (instance_uuid, security_group_id)";

    public const string InsertMetadata = InsertMetadataRows + " VALUES (@Uuid, @Key, @Value)";

    public const string Metadata = "SELECT `key` AS `Key`, value AS Value FROM instance_metadata WHERE instance_uuid = @Uuid ORDER BY `key`";

    public const string AddSecurityGroup = AddSecurityGroupRows + " VALUES (@Uuid, @GroupId)";

    public const string SecurityGroupNames = """
        SELECT g.name FROM instance_security_groups s JOIN security_groups g ON g.id = s.security_group_id
        WHERE s.instance_uuid = @Uuid ORDER BY g.name
        """;
}
