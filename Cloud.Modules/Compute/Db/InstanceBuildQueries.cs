namespace Cloud.Modules.Compute.Db;

/// <summary>
/// SQL of the scheduler's reconciler over the instances table: the instances in a transitional state, and the
/// transitions it makes on them. Every transition is conditional on the row being exactly as the reconciler read it
/// (<see cref="Unchanged"/>), so two schedulers reconciling at once never both act on one instance.
/// </summary>
internal static class InstanceBuildQueries
{
    /// <summary>
    /// The row still as read: same vm_state, task_state, host and updated_at (a null task_state or host matches only
    /// null; written so for SQLite and MariaDB alike).
    /// </summary>
    private const string Unchanged = """
        uuid = @Uuid AND deleted = 0 AND vm_state = @VmState
          AND (task_state = @TaskState OR (task_state IS NULL AND @TaskState IS NULL))
          AND (host = @Host OR (host IS NULL AND @Host IS NULL))
          AND updated_at = @UpdatedAt
        """;

    /// <summary>Live instances still building, or being deleted: those a lost message or an outage can leave stuck.</summary>
    public const string InFlight = $"""
        SELECT {InstanceQueries.Columns} FROM instances
        WHERE deleted = 0 AND (vm_state = 'building' OR task_state = 'deleting')
        ORDER BY id
        """;

    /// <summary>ERROR with a fault; <c>@ClearHost</c> = 1 also takes the instance off its host (its claim is given back with it).</summary>
    public const string Fail = $"""
        UPDATE instances SET vm_state = 'error', task_state = NULL, fault_code = @FaultCode, fault_message = @FaultMessage,
            host = CASE WHEN @ClearHost = 1 THEN NULL ELSE host END, updated_at = @Now
        WHERE {Unchanged}
        """;

    /// <summary>Back to scheduling with no host, for a new placement (the old host's claim is given back with it).</summary>
    public const string Unplace = $"""
        UPDATE instances SET host = NULL, task_state = 'scheduling', updated_at = @Now
        WHERE {Unchanged}
        """;

    /// <summary>Only updated_at moves: this reconciler re-sends the instance's message, and no other does until the deadline passes again.</summary>
    public const string Touch = $"UPDATE instances SET updated_at = @Now WHERE {Unchanged}";

    /// <summary>The end of a delete whose host cannot finish it (the claim is given back with it).</summary>
    public const string MarkDeleted = $"""
        UPDATE instances SET deleted = 1, vm_state = 'deleted', task_state = NULL, power_state = 0, terminated_at = @Now, updated_at = @Now
        WHERE {Unchanged}
        """;
}
