namespace Cloud.Modules.Identity.Db;

/// <summary>SQL of application credentials and access rules; portable between SQLite and MariaDB, always parameterised.</summary>
internal static class ApplicationCredentialQueries
{
    private const string Columns =
        "id AS Id, name AS Name, description AS Description, user_id AS UserId, project_id AS ProjectId, expires_at AS ExpiresAt, unrestricted AS Unrestricted, secret_hash AS SecretHash";

    public const string Insert = """
        INSERT INTO application_credentials (id, name, secret_hash, description, user_id, project_id, expires_at, unrestricted, created_at)
        VALUES (@Id, @Name, @SecretHash, @Description, @UserId, @ProjectId, @ExpiresAt, @Unrestricted, @Now)
        """;

    public const string InsertRole = "INSERT INTO application_credential_roles (application_credential_id, role) VALUES (@Id, @Role)";
    public const string ById = $"SELECT {Columns} FROM application_credentials WHERE id = @Id";
    public const string ByUserAndName = $"SELECT {Columns} FROM application_credentials WHERE user_id = @UserId AND name = @Name";
    public const string OfUser = $"SELECT {Columns} FROM application_credentials WHERE user_id = @UserId ORDER BY created_at, id";
    public const string CountOfUser = "SELECT COUNT(*) FROM application_credentials WHERE user_id = @UserId";

    public const string RolesOf = "SELECT role FROM application_credential_roles WHERE application_credential_id = @Id ORDER BY role";

    public const string AccessRulesOf = """
        SELECT r.id AS Id, r.service AS Service, r.path AS Path, r.method AS Method
        FROM access_rules r JOIN application_credential_access_rules l ON l.access_rule_id = r.id
        WHERE l.application_credential_id = @Id ORDER BY r.service, r.path, r.method
        """;

    public const string Delete = """
        DELETE FROM application_credential_roles WHERE application_credential_id = @Id;
        DELETE FROM application_credential_access_rules WHERE application_credential_id = @Id;
        DELETE FROM application_credentials WHERE id = @Id
        """;

    public const string AccessRuleById = "SELECT id AS Id, service AS Service, path AS Path, method AS Method FROM access_rules WHERE id = @Id AND user_id = @UserId";

    public const string AccessRuleByValue = """
        SELECT id AS Id, service AS Service, path AS Path, method AS Method FROM access_rules
        WHERE user_id = @UserId AND service = @Service AND path = @Path AND method = @Method
        """;

    public const string AccessRulesOfUser = "SELECT id AS Id, service AS Service, path AS Path, method AS Method FROM access_rules WHERE user_id = @UserId ORDER BY service, path, method";
    public const string InsertAccessRule = "INSERT INTO access_rules (id, user_id, service, path, method) VALUES (@Id, @UserId, @Service, @Path, @Method)";
    public const string LinkAccessRule = "INSERT INTO application_credential_access_rules (application_credential_id, access_rule_id) VALUES (@CredentialId, @RuleId)";
    public const string AccessRuleInUse = "SELECT COUNT(*) FROM application_credential_access_rules WHERE access_rule_id = @Id";
    public const string DeleteAccessRule = "DELETE FROM access_rules WHERE id = @Id AND user_id = @UserId";
}
