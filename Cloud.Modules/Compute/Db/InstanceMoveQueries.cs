namespace Cloud.Modules.Compute.Db;

/// <summary>SQL of what rebuild, resize and shelve change on instances, and of the shelved_instances table.</summary>
internal static class InstanceMoveQueries
{
    /// <summary>The end of a resize step: where the instance runs, with which flavor's resources, in which state.</summary>
    public const string SetFlavor = """
        UPDATE instances SET host = @Host, instance_type_id = @InstanceTypeId, memory_mb = @MemoryMb, vcpus = @Vcpus, root_gb = @RootGb,
            vm_state = @VmState, task_state = @TaskState, power_state = @PowerState, updated_at = @Now
        WHERE uuid = @Uuid AND deleted = 0
        """;

    public const string SetImage = """
        UPDATE instances SET image_ref = @ImageRef, key_name = @KeyName, key_data = @KeyData, user_data = @UserData, updated_at = @Now
        WHERE uuid = @Uuid AND deleted = 0
        """;

    /// <summary>Offloaded: no host, no guest, no claim (the claim is given back in the same transaction).</summary>
    public const string Offload = """
        UPDATE instances SET host = NULL, vm_state = 'shelved_offloaded', task_state = NULL, power_state = 0, updated_at = @Now
        WHERE uuid = @Uuid AND deleted = 0 AND host = @Host
        """;

    /// <summary>An offloaded instance placed again by the scheduler (its task stays unshelving).</summary>
    public const string AssignHost = "UPDATE instances SET host = @Host, updated_at = @Now WHERE uuid = @Uuid AND deleted = 0 AND host IS NULL";

    public const string DeleteShelved = "DELETE FROM shelved_instances WHERE instance_uuid = @Uuid";

    public const string InsertShelved = "INSERT INTO shelved_instances (instance_uuid, image_id, shelved_at) VALUES (@Uuid, @ImageId, @Now)";

    public const string ShelvedImage = "SELECT image_id FROM shelved_instances WHERE instance_uuid = @Uuid";

    /// <summary>Instances shelved (not yet offloaded) on <c>@Host</c> since before <c>@Before</c>.</summary>
    public const string ShelvedOnHostBefore = """
        SELECT i.uuid FROM instances i JOIN shelved_instances s ON s.instance_uuid = i.uuid
        WHERE i.host = @Host AND i.deleted = 0 AND i.vm_state = 'shelved' AND i.task_state IS NULL AND s.shelved_at < @Before
        ORDER BY i.id
        """;
}
