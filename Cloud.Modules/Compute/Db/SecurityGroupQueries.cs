namespace Cloud.Modules.Compute.Db;

/// <summary>SQL of the security_groups and security_group_rules tables.</summary>
internal static class SecurityGroupQueries
{
    private const string Columns = "id AS Id, project_id AS ProjectId, user_id AS UserId, name AS Name, description AS Description, created_at AS CreatedAt";

    private const string RuleColumns =
        "id AS Id, parent_group_id AS ParentGroupId, protocol AS Protocol, from_port AS FromPort, to_port AS ToPort, cidr AS Cidr, group_id AS GroupId, created_at AS CreatedAt";

    public const string ByProject = $"SELECT {Columns} FROM security_groups WHERE project_id = @ProjectId ORDER BY name";

    public const string All = $"SELECT {Columns} FROM security_groups ORDER BY project_id, name";

    public const string ByName = $"SELECT {Columns} FROM security_groups WHERE project_id = @ProjectId AND name = @Name";

    public const string ById = $"SELECT {Columns} FROM security_groups WHERE id = @Id";

    public const string Count = "SELECT COUNT(*) FROM security_groups WHERE project_id = @ProjectId";

    public const string Insert = """
        INSERT INTO security_groups (project_id, user_id, name, description, created_at)
        VALUES (@ProjectId, @UserId, @Name, @Description, @Now)
        """;

    public const string Delete = "DELETE FROM security_groups WHERE id = @Id";

    public const string Update = "UPDATE security_groups SET name = @Name, description = @Description WHERE id = @Id";

    public const string InUse = "SELECT COUNT(*) FROM instance_security_groups s JOIN instances i ON i.uuid = s.instance_uuid WHERE s.security_group_id = @Id AND i.deleted = 0";

    public const string RulesOf = $"SELECT {RuleColumns} FROM security_group_rules WHERE parent_group_id IN @GroupIds ORDER BY id";

    public const string RuleById = $"SELECT {RuleColumns} FROM security_group_rules WHERE id = @Id";

    public const string InsertRule = """
        INSERT INTO security_group_rules (parent_group_id, protocol, from_port, to_port, cidr, group_id, created_at)
        VALUES (@ParentGroupId, @Protocol, @FromPort, @ToPort, @Cidr, @GroupId, @Now)
        """;

    public const string DeleteRule = "DELETE FROM security_group_rules WHERE id = @Id";

    public const string DeleteRulesOf = "DELETE FROM security_group_rules WHERE parent_group_id = @Id OR group_id = @Id";

    public const string GroupsOfInstances = "SELECT instance_uuid AS InstanceUuid, security_group_id AS GroupId FROM instance_security_groups WHERE instance_uuid IN @Uuids";

    public const string LiveMembers = """
        SELECT s.instance_uuid AS InstanceUuid, s.security_group_id AS GroupId FROM instance_security_groups s
        JOIN instances i ON i.uuid = s.instance_uuid WHERE s.security_group_id IN @GroupIds AND i.deleted = 0
        """;

    public const string RemoveInstance = "DELETE FROM instance_security_groups WHERE instance_uuid = @Uuid AND security_group_id = @GroupId";
}
