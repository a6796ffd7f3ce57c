namespace Cloud.Modules.Identity;

/// <summary>
/// Role names. <c>member</c> comes with membership and <c>admin</c> with the user's admin flag; the seed's
/// project roles (projectmanager, netadmin, sysadmin, ...) can be granted explicitly.
/// </summary>
public static class Roles
{
    public const string Admin = "admin";
    public const string Member = "member";

    public static IReadOnlyList<string> Grantable { get; } =
        [Admin, Member, "projectmanager", "netadmin", "sysadmin", "developer", "itsec", "cloudadmin", "reader"];
}
