namespace Cloud.Modules.Identity;

/// <summary>
/// The builtin role names and the fixed ids migration 0013 gave them. <c>admin</c> implies <c>member</c>, which implies
/// <c>reader</c>; a cloud administrator (nova-manage <c>--admin</c>) holds admin on the system, which makes them admin in
/// every project too (the nova-manage model); the seed's project roles (projectmanager, netadmin, ...) are ordinary roles.
/// </summary>
public static class Roles
{
    public const string Admin = "admin";
    public const string Member = "member";
    public const string Reader = "reader";

    public const string AdminId = "8c867577dbdf431d9c3bad8477bdb1de";
    public const string MemberId = "95a516d0d1064bc3b1d1f1ff0034f016";
    public const string ReaderId = "6ed361b1d358464185d70033647d3329";

    /// <summary>A service's role (a compute host's): glance lets it read any image record and data, on behalf of an instance's owner, and nothing else.</summary>
    public const string ImageReader = "image_reader";

    /// <summary>The role the nova-manage <c>project create</c> gives the project's manager.</summary>
    public const string ProjectManager = "projectmanager";

    /// <summary>The roles migration 0013 seeds (more can be made with <c>openstack role create</c>).</summary>
    public static IReadOnlyList<string> Grantable { get; } =
        [Admin, Member, Reader, ProjectManager, "netadmin", "sysadmin", "developer", "itsec", "cloudadmin", ImageReader];
}
