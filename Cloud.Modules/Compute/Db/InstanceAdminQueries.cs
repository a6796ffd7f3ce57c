namespace Cloud.Modules.Compute.Db;

/// <summary>SQL of the instance changes the API makes itself, with no host involved: lock, unlock, reset state.</summary>
internal static class InstanceAdminQueries
{
    public const string Lock = """
        UPDATE instances SET locked = 1, locked_by = @LockedBy, locked_reason = @Reason, updated_at = @Now WHERE uuid = @Uuid AND deleted = 0
        """;

    public const string Unlock = """
        UPDATE instances SET locked = 0, locked_by = NULL, locked_reason = NULL, updated_at = @Now WHERE uuid = @Uuid AND deleted = 0
        """;

    /// <summary>nova's reset_state: the vm_state an admin says, no task; the power state stays what the hypervisor reported.</summary>
    public const string ResetState = "UPDATE instances SET vm_state = @VmState, task_state = NULL, updated_at = @Now WHERE uuid = @Uuid AND deleted = 0";
}
