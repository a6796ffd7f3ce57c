namespace Cloud.Modules.Identity.Db;

/// <summary>SQL of domains and groups; portable between SQLite and MariaDB.</summary>
internal static class DirectoryQueries
{
    private const string DomainColumns = "id AS Id, name AS Name, description AS Description, enabled AS Enabled";

    private const string GroupColumns = "id AS Id, domain_id AS DomainId, name AS Name, description AS Description";

    public const string Domains = $"SELECT {DomainColumns} FROM domains ORDER BY name";
    public const string DomainById = $"SELECT {DomainColumns} FROM domains WHERE id = @Id";
    public const string DomainByName = $"SELECT {DomainColumns} FROM domains WHERE name = @Name";

    public const string InsertDomain = """
        INSERT INTO domains (id, name, description, enabled, created_at, updated_at) VALUES (@Id, @Name, @Description, @Enabled, @Now, @Now)
        """;

    public const string UpdateDomain = "UPDATE domains SET name = @Name, description = @Description, enabled = @Enabled, updated_at = @Now WHERE id = @Id";

    /// <summary>What must be gone before a domain can be: its projects, users and groups (counted).</summary>
    public const string DomainContents = """
        SELECT (SELECT COUNT(*) FROM projects WHERE domain_id = @Id) + (SELECT COUNT(*) FROM users WHERE domain_id = @Id)
            + (SELECT COUNT(*) FROM identity_groups WHERE domain_id = @Id)
        """;

    public const string DeleteDomain = """
        DELETE FROM role_assignments WHERE target_id = @Id AND type IN ('UserDomain', 'GroupDomain');
        DELETE FROM domains WHERE id = @Id
        """;

    public const string Groups = $"SELECT {GroupColumns} FROM identity_groups ORDER BY name";
    public const string GroupById = $"SELECT {GroupColumns} FROM identity_groups WHERE id = @Id";
    public const string GroupsOfUser = $"SELECT {GroupColumns} FROM identity_groups WHERE id IN (SELECT group_id FROM user_group_membership WHERE user_id = @UserId) ORDER BY name";
    public const string InsertGroup = "INSERT INTO identity_groups (id, domain_id, name, description, created_at) VALUES (@Id, @DomainId, @Name, @Description, @Now)";
    public const string UpdateGroup = "UPDATE identity_groups SET name = @Name, description = @Description WHERE id = @Id";

    public const string DeleteGroup = """
        DELETE FROM role_assignments WHERE actor_id = @Id AND type IN ('GroupProject', 'GroupDomain', 'GroupSystem');
        DELETE FROM user_group_membership WHERE group_id = @Id;
        DELETE FROM identity_groups WHERE id = @Id
        """;
}
