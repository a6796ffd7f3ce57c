namespace Cloud.Modules.Identity.Db;

/// <summary>SQL of the identity tables; portable between SQLite and MariaDB, always parameterised.</summary>
internal static class IdentityQueries
{
    private const string UserColumns =
        "id AS Id, name AS Name, password_hash AS PasswordHash, access_key AS AccessKey, secret_key AS SecretKey, created_at AS CreatedAt, "
        + "domain_id AS DomainId, enabled AS Enabled, default_project_id AS DefaultProjectId, email AS Email, description AS Description, "
        + "(" + AssignmentQueries.HoldsSystemAdmin + ") AS IsAdmin";

    private const string ProjectColumns =
        "id AS Id, name AS Name, description AS Description, project_manager AS ProjectManager, ca_certificate AS CaCertificate, ca_private_key AS CaPrivateKey, "
        + "created_at AS CreatedAt, domain_id AS DomainId, parent_id AS ParentId, enabled AS Enabled";

    public const string InsertUser = """
        INSERT INTO users (id, name, password_hash, access_key, secret_key, is_admin, created_at, updated_at, domain_id, enabled, default_project_id, email, description)
        VALUES (@Id, @Name, @PasswordHash, @AccessKey, @SecretKey, @IsAdmin, @Now, @Now, @DomainId, @Enabled, @DefaultProjectId, @Email, @Description)
        """;

    public const string UserByName = $"SELECT {UserColumns} FROM users WHERE name = @Name";
    public const string UserById = $"SELECT {UserColumns} FROM users WHERE id = @Id";
    public const string UserByAccessKey = $"SELECT {UserColumns} FROM users WHERE access_key = @AccessKey";
    public const string Users = $"SELECT {UserColumns} FROM users ORDER BY name";
    public const string SetPassword = "UPDATE users SET password_hash = @PasswordHash, updated_at = @Now WHERE id = @Id";
    public const string DeleteUser = "DELETE FROM users WHERE id = @Id";

    public const string InsertProject = """
        INSERT INTO projects (id, name, description, project_manager, created_at, updated_at, domain_id, parent_id, enabled)
        VALUES (@Id, @Name, @Description, @ProjectManager, @Now, @Now, @DomainId, @ParentId, @Enabled)
        """;

    public const string ProjectByName = $"SELECT {ProjectColumns} FROM projects WHERE name = @Name";
    public const string ProjectById = $"SELECT {ProjectColumns} FROM projects WHERE id = @Id";
    public const string Projects = $"SELECT {ProjectColumns} FROM projects ORDER BY name";
    public const string ProjectsByIds = $"SELECT {ProjectColumns} FROM projects WHERE id IN @Ids ORDER BY name";
    public const string ProjectsInDomain = $"SELECT {ProjectColumns} FROM projects WHERE domain_id = @DomainId ORDER BY name";
    public const string ChildProjects = $"SELECT {ProjectColumns} FROM projects WHERE parent_id = @Id ORDER BY name";

    public const string UpdateUser = """
        UPDATE users SET name = @Name, enabled = @Enabled, default_project_id = @DefaultProjectId, email = @Email, description = @Description,
            updated_at = @Now WHERE id = @Id
        """;

    public const string UpdateProject = """
        UPDATE projects SET name = @Name, description = @Description, enabled = @Enabled, updated_at = @Now WHERE id = @Id
        """;

    public const string ProjectTags = "SELECT name FROM project_tags WHERE project_id = @ProjectId ORDER BY name";
    public const string InsertProjectTag = "INSERT INTO project_tags (project_id, name) VALUES (@ProjectId, @Name)";
    public const string DeleteProjectTags = "DELETE FROM project_tags WHERE project_id = @ProjectId";

    public const string SetProjectCa = """
        UPDATE projects SET ca_certificate = @Certificate, ca_private_key = @PrivateKey, updated_at = @Now
        WHERE id = @Id AND ca_certificate IS NULL
        """;

    public const string DeleteProject = "DELETE FROM projects WHERE id = @Id";

    public const string MembersOf = """
        SELECT u.name FROM users u WHERE u.id IN (SELECT a.actor_id FROM role_assignments a WHERE a.type = 'UserProject' AND a.target_id = @ProjectId)
        ORDER BY u.name
        """;

    public const string RemoveUserLinks = """
        DELETE FROM role_assignments WHERE actor_id = @Id AND type IN ('UserProject', 'UserDomain', 'UserSystem');
        DELETE FROM user_group_membership WHERE user_id = @Id
        """;

    public const string RemoveProjectLinks = """
        DELETE FROM role_assignments WHERE target_id = @Id AND type IN ('UserProject', 'GroupProject');
        DELETE FROM project_tags WHERE project_id = @Id;
        DELETE FROM quotas WHERE project_id = @Id
        """;

    public const string Quotas = "SELECT resource AS Resource, hard_limit AS HardLimit FROM quotas WHERE project_id = @ProjectId";
    public const string UpdateQuota = "UPDATE quotas SET hard_limit = @HardLimit WHERE project_id = @ProjectId AND resource = @Resource";
    public const string InsertQuota = "INSERT INTO quotas (project_id, resource, hard_limit) VALUES (@ProjectId, @Resource, @HardLimit)";
    public const string DeleteQuotas = "DELETE FROM quotas WHERE project_id = @ProjectId";
    public const string QuotaClass = "SELECT resource AS Resource, hard_limit AS HardLimit FROM quota_classes WHERE class_name = @ClassName";

    /// <summary>
    /// Layer 0: one row when the project exists; 1: the quota class's values; 2: the project's own values. One round trip
    /// for what every create, volume and floating IP reads before it reserves.
    /// </summary>
    public const string ProjectQuotaLayers = """
        SELECT 0 AS Layer, '' AS Resource, 0 AS HardLimit FROM projects WHERE id = @ProjectId
        UNION ALL SELECT 1, resource, hard_limit FROM quota_classes WHERE class_name = @ClassName
        UNION ALL SELECT 2, resource, hard_limit FROM quotas WHERE project_id = @ProjectId
        """;
    public const string UpdateQuotaClass = "UPDATE quota_classes SET hard_limit = @HardLimit WHERE class_name = @ClassName AND resource = @Resource";
    public const string InsertQuotaClass = "INSERT INTO quota_classes (class_name, resource, hard_limit) VALUES (@ClassName, @Resource, @HardLimit)";

    /// <summary>The one key every process signs with: the row of the fixed id <c>current</c> (the primary key makes it unique).</summary>
    public const string SigningKey = "SELECT secret FROM token_signing_keys WHERE id = 'current'";

    /// <summary>A key made before the fixed id existed (oldest first, as those processes chose), to carry its tokens over.</summary>
    public const string LegacySigningKey = "SELECT secret FROM token_signing_keys WHERE id <> 'current' ORDER BY created_at, id LIMIT 1";

    /// <summary>Inserts the <c>current</c> key unless some process already did; the caller re-reads what the database holds.</summary>
    public const string InsertSigningKeyIfAbsentMySql =
        "INSERT INTO token_signing_keys (id, secret, created_at) VALUES ('current', @Secret, @Now) ON DUPLICATE KEY UPDATE id = id";

    /// <inheritdoc cref="InsertSigningKeyIfAbsentMySql"/>
    public const string InsertSigningKeyIfAbsentSqlite =
        "INSERT INTO token_signing_keys (id, secret, created_at) VALUES ('current', @Secret, @Now) ON CONFLICT (id) DO NOTHING";

    /// <summary>The events recorded since <c>@Since</c> (all of them from <see cref="DateTime.MinValue"/>) that still matter.</summary>
    public const string RevocationsSince =
        "SELECT kind AS Kind, subject AS Subject, revoked_at AS RevokedAt, expires_at AS ExpiresAt FROM token_revocations WHERE revoked_at > @Since AND expires_at > @Now";

    public const string UpdateRevocation = "UPDATE token_revocations SET revoked_at = @RevokedAt, expires_at = @ExpiresAt, user_id = @UserId WHERE kind = @Kind AND subject = @Subject";
    public const string InsertRevocation = "INSERT INTO token_revocations (kind, subject, revoked_at, expires_at, user_id) VALUES (@Kind, @Subject, @RevokedAt, @ExpiresAt, @UserId)";

    /// <summary>How many single tokens of one user are revoked and still matter (the per-user cap).</summary>
    public const string CountUserTokenRevocations =
        "SELECT COUNT(*) FROM token_revocations WHERE user_id = @UserId AND kind = 'audit' AND expires_at > @Now";

    /// <summary>The user's single-token events, once a user-wide event ends every token they covered.</summary>
    public const string DeleteUserTokenRevocations = "DELETE FROM token_revocations WHERE user_id = @UserId AND kind = 'audit'";

    /// <summary>Events no token can be affected by any more.</summary>
    public const string DeleteExpiredRevocations = "DELETE FROM token_revocations WHERE expires_at <= @Now";
}
