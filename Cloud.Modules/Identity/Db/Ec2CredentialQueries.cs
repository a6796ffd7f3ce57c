namespace Cloud.Modules.Identity.Db;

/// <summary>SQL of Keystone EC2 credentials; portable between SQLite and MariaDB, always parameterised.</summary>
internal static class Ec2CredentialQueries
{
    private const string Columns = "access AS Access, secret AS Secret, user_id AS UserId, project_id AS ProjectId, created_at AS CreatedAt";

    public const string Insert = "INSERT INTO ec2_credentials (access, secret, user_id, project_id, created_at) VALUES (@Access, @Secret, @UserId, @ProjectId, @CreatedAt)";
    public const string ByAccess = $"SELECT {Columns} FROM ec2_credentials WHERE access = @Access";
    public const string OfUser = $"SELECT {Columns} FROM ec2_credentials WHERE user_id = @UserId ORDER BY created_at, access";
    public const string All = $"SELECT {Columns} FROM ec2_credentials ORDER BY created_at, access";
    public const string CountOfUser = "SELECT COUNT(*) FROM ec2_credentials WHERE user_id = @UserId";
    public const string Delete = "DELETE FROM ec2_credentials WHERE access = @Access";
}
