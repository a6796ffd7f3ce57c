namespace Cloud.Modules.Compute.Db;

/// <summary>SQL of the instance_groups and instance_group_members tables.</summary>
internal static class ServerGroupQueries
{
    private const string Columns =
        "id AS Id, uuid AS Uuid, name AS Name, project_id AS ProjectId, user_id AS UserId, policy AS Policy, " +
        "max_server_per_host AS MaxServerPerHost, created_at AS CreatedAt";

    public const string Insert = """
        INSERT INTO instance_groups (uuid, name, project_id, user_id, policy, max_server_per_host, deleted, created_at)
        VALUES (@Uuid, @Name, @ProjectId, @UserId, @Policy, @MaxServerPerHost, 0, @CreatedAt)
        """;

    public const string CountOfProject = "SELECT COUNT(*) FROM instance_groups WHERE project_id = @ProjectId AND deleted = 0";

    public const string ByUuid = $"SELECT {Columns} FROM instance_groups WHERE uuid = @Uuid AND deleted = 0";

    /// <summary>Every live group (@ProjectId null) or a project's, oldest first as nova lists them.</summary>
    public const string List = $"""
        SELECT {Columns} FROM instance_groups
        WHERE deleted = 0 AND (@ProjectId IS NULL OR project_id = @ProjectId)
        ORDER BY id
        """;

    public const string Delete = "UPDATE instance_groups SET deleted = 1 WHERE id = @Id AND deleted = 0";

    public const string AddMember = "INSERT INTO instance_group_members (group_id, instance_uuid) VALUES (@GroupId, @Uuid)";

    /// <summary>The live members of the groups, in the order they joined.</summary>
    public const string LiveMembers = """
        SELECT m.group_id AS GroupId, m.instance_uuid AS InstanceUuid, i.host AS Host
        FROM instance_group_members m JOIN instances i ON i.uuid = m.instance_uuid AND i.deleted = 0
        WHERE m.group_id IN @GroupIds
        ORDER BY i.id
        """;

    /// <summary>The live groups the instance is a member of (one, as nova allows).</summary>
    public const string OfInstance = $"""
        SELECT {Columns} FROM instance_groups
        WHERE deleted = 0 AND id IN (SELECT group_id FROM instance_group_members WHERE instance_uuid = @Uuid)
        """;
}
