namespace Cloud.Modules.Volume;

/// <summary>A volume's status (nova-volume's and Cinder's words): creating → available → attaching → in-use → detaching → available → deleting, or error.</summary>
public static class VolumeStatuses
{
    public const string Creating = "creating";
    public const string Available = "available";
    public const string Attaching = "attaching";
    public const string InUse = "in-use";
    public const string Detaching = "detaching";
    public const string Extending = "extending";
    public const string Deleting = "deleting";
    public const string Error = "error";
    public const string ErrorDeleting = "error_deleting";
    public const string ErrorExtending = "error_extending";
}
