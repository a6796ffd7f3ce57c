namespace Cloud.Modules.Volume;

/// <summary>A snapshot's status: creating → available → deleting, or error.</summary>
public static class SnapshotStatuses
{
    public const string Creating = "creating";
    public const string Available = "available";
    public const string Deleting = "deleting";
    public const string Error = "error";
    public const string ErrorDeleting = "error_deleting";
}
