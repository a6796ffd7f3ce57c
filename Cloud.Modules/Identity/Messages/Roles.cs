namespace Cloud.Modules.Identity;

/// <summary>
/// Role names. <c>member</c> comes with membership and <c>admin</c> with the user's admin flag; the seed's
/// project roles (projectmanager, netadmin, sysadmin, ...) can be granted explicitly.
/// </summary>
public static class Roles
{
    public const string Admin = "admin";
    public const string Member = "member";

    /// <summary>A service's role (a compute host's): glance lets it read any image record and data, on behalf of an instance's owner, and nothing else.</summary>
    public const string ImageReader = "image_reader";

    public static IReadOnlyList<string> Grantable { get; } =
        [Admin, Member, "projectmanager", "netadmin", "sysadmin", "developer", "itsec", "cloudadmin", "reader", ImageReader];
}
