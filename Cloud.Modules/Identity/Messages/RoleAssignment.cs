namespace Cloud.Modules.Identity;

/// <summary>
/// One row of Keystone's assignment table: <paramref name="RoleId"/> granted to a user or group (<paramref name="ActorId"/>)
/// on a project, a domain or the system (<paramref name="TargetId"/>, <c>all</c> for the system). <paramref name="Type"/> is one
/// of the constants below; an inherited assignment applies to the target's sub-projects, not to the target itself.
/// </summary>
public sealed record RoleAssignment(string Type, string ActorId, string TargetId, string RoleId, bool Inherited)
{
    public const string UserProject = "UserProject";
    public const string GroupProject = "GroupProject";
    public const string UserDomain = "UserDomain";
    public const string GroupDomain = "GroupDomain";
    public const string UserSystem = "UserSystem";
    public const string GroupSystem = "GroupSystem";

    /// <summary>The target id of every system assignment.</summary>
    public const string SystemTarget = "all";

    public bool IsGroup => Type.StartsWith("Group", StringComparison.Ordinal);

    public bool OnProject => Type.EndsWith("Project", StringComparison.Ordinal);

    public bool OnDomain => Type.EndsWith("Domain", StringComparison.Ordinal);

    public bool OnSystem => Type.EndsWith("System", StringComparison.Ordinal);

    /// <summary>The type of an assignment of a user or group on a project, domain or the system.</summary>
    public static string TypeOf(bool group, string target) => (group ? "Group" : "User") + target switch
    {
        "project" => "Project",
        "domain" => "Domain",
        _ => "System",
    };
}
