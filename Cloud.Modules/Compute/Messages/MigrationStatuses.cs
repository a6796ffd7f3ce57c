namespace Cloud.Modules.Compute;

/// <summary>nova's migration statuses for a resize, in the order they happen.</summary>
public static class MigrationStatuses
{
    public const string PreMigrating = "pre-migrating";
    public const string Migrating = "migrating";
    public const string PostMigrating = "post-migrating";

    /// <summary>The instance runs with the new flavor and waits to be confirmed or reverted (VERIFY_RESIZE).</summary>
    public const string Finished = "finished";

    public const string Confirming = "confirming";
    public const string Confirmed = "confirmed";
    public const string Reverting = "reverting";
    public const string Reverted = "reverted";
    public const string Error = "error";
}
