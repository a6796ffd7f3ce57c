namespace Cloud.Modules.Identity.Db;

/// <summary>SQL of roles, implied roles, role assignments and group membership; portable between SQLite and MariaDB.</summary>
internal static class AssignmentQueries
{
    private const string RoleColumns = "id AS Id, name AS Name, description AS Description";

    private const string AssignmentColumns = "type AS Type, actor_id AS ActorId, target_id AS TargetId, role_id AS RoleId, inherited AS Inherited";

    /// <summary>
    /// 1 when the user (<c>users.id</c> of the enclosing query) holds admin on the system, directly or through a group: the
    /// nova-manage model's cloud administrator (its <c>is_admin</c>).
    /// </summary>
    public const string HoldsSystemAdmin = $"""
        SELECT COUNT(*) FROM role_assignments sa WHERE sa.role_id = '{Roles.AdminId}' AND sa.target_id = 'all'
        AND ((sa.type = 'UserSystem' AND sa.actor_id = users.id)
            OR (sa.type = 'GroupSystem' AND sa.actor_id IN (SELECT sg.group_id FROM user_group_membership sg WHERE sg.user_id = users.id)))
        """;

    public const string AllRoles = $"SELECT {RoleColumns} FROM roles ORDER BY name";
    public const string RoleById = $"SELECT {RoleColumns} FROM roles WHERE id = @Id";
    public const string RoleByName = $"SELECT {RoleColumns} FROM roles WHERE name = @Name";
    public const string InsertRole = "INSERT INTO roles (id, name, description, created_at) VALUES (@Id, @Name, @Description, @Now)";
    public const string UpdateRole = "UPDATE roles SET name = @Name, description = @Description WHERE id = @Id";

    public const string DeleteRole = """
        DELETE FROM role_assignments WHERE role_id = @Id;
        DELETE FROM implied_roles WHERE prior_role_id = @Id OR implied_role_id = @Id;
        DELETE FROM roles WHERE id = @Id
        """;

    public const string ImpliedRoles = "SELECT prior_role_id AS PriorRoleId, implied_role_id AS ImpliedRoleId FROM implied_roles";
    public const string InsertImpliedRole = "INSERT INTO implied_roles (prior_role_id, implied_role_id) VALUES (@PriorRoleId, @ImpliedRoleId)";
    public const string DeleteImpliedRole = "DELETE FROM implied_roles WHERE prior_role_id = @PriorRoleId AND implied_role_id = @ImpliedRoleId";

    public const string Assignments = $"SELECT {AssignmentColumns} FROM role_assignments";
    public const string AssignmentsOfActors = $"SELECT {AssignmentColumns} FROM role_assignments WHERE actor_id IN @Ids";
    public const string AssignmentsOnTarget = $"SELECT {AssignmentColumns} FROM role_assignments WHERE target_id = @TargetId";

    public const string CountAssignment = """
        SELECT COUNT(*) FROM role_assignments
        WHERE type = @Type AND actor_id = @ActorId AND target_id = @TargetId AND role_id = @RoleId AND inherited = @Inherited
        """;

    public const string InsertAssignment = """
        INSERT INTO role_assignments (type, actor_id, target_id, role_id, inherited) VALUES (@Type, @ActorId, @TargetId, @RoleId, @Inherited)
        """;

    public const string DeleteAssignment = """
        DELETE FROM role_assignments WHERE type = @Type AND actor_id = @ActorId AND target_id = @TargetId AND role_id = @RoleId AND inherited = @Inherited
        """;

    /// <summary>Every role the user holds directly on the project (the nova-manage <c>project remove</c>).</summary>
    public const string DeleteUserProjectAssignments = "DELETE FROM role_assignments WHERE type = 'UserProject' AND actor_id = @UserId AND target_id = @ProjectId";

    public const string GroupIdsOfUser = "SELECT group_id FROM user_group_membership WHERE user_id = @UserId";
    public const string UserIdsOfGroup = "SELECT user_id FROM user_group_membership WHERE group_id = @GroupId";
    public const string CountMembership = "SELECT COUNT(*) FROM user_group_membership WHERE user_id = @UserId AND group_id = @GroupId";
    public const string InsertMembership = "INSERT INTO user_group_membership (user_id, group_id) VALUES (@UserId, @GroupId)";
    public const string DeleteMembership = "DELETE FROM user_group_membership WHERE user_id = @UserId AND group_id = @GroupId";
}
