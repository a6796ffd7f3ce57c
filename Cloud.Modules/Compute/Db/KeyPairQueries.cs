namespace Cloud.Modules.Compute.Db;

/// <summary>SQL of the key_pairs table; key pairs belong to a user, as in nova.</summary>
internal static class KeyPairQueries
{
    private const string Columns =
        "id AS Id, user_id AS UserId, project_id AS ProjectId, name AS Name, fingerprint AS Fingerprint, public_key AS PublicKey, type AS Type, created_at AS CreatedAt";

    public const string ByUser = $"SELECT {Columns} FROM key_pairs WHERE user_id = @UserId ORDER BY name";

    public const string ByName = $"SELECT {Columns} FROM key_pairs WHERE user_id = @UserId AND name = @Name";

    public const string Count = "SELECT COUNT(*) FROM key_pairs WHERE user_id = @UserId";

    public const string Insert = """
        INSERT INTO key_pairs (user_id, project_id, name, fingerprint, public_key, type, created_at)
        VALUES (@UserId, @ProjectId, @Name, @Fingerprint, @PublicKey, @Type, @Now)
        """;

    public const string Delete = "DELETE FROM key_pairs WHERE user_id = @UserId AND name = @Name";
}
