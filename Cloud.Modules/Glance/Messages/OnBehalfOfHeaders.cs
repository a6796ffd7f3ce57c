namespace Cloud.Modules.Glance;

/// <summary>
/// Headers an image reader (a compute host's service user) names the instance owner with, whose rights decide which
/// images it may read; glance ignores them from any other caller (<see cref="ImageReaders"/>).
/// </summary>
public static class OnBehalfOfHeaders
{
    public const string User = "X-On-Behalf-Of-User";
    public const string Project = "X-On-Behalf-Of-Project";
}
