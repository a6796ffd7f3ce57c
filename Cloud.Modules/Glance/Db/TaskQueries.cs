namespace Cloud.Modules.Glance.Db;

/// <summary>SQL of the image tasks; portable between SQLite and MariaDB, always parameterised.</summary>
internal static class TaskQueries
{
    private const string Columns = """
        id AS Id, type AS Type, status AS Status, owner AS Owner, input AS Input, result AS Result, message AS Message,
        image_id AS ImageId, request_id AS RequestId, user_id AS UserId, expires_at AS ExpiresAt, created_at AS CreatedAt,
        updated_at AS UpdatedAt
        """;

    public const string Insert = """
        INSERT INTO image_tasks (id, type, status, owner, input, result, message, image_id, request_id, user_id, expires_at, created_at, updated_at)
        VALUES (@Id, @Type, @Status, @Owner, @Input, @Result, @Message, @ImageId, @RequestId, @UserId, @ExpiresAt, @CreatedAt, @UpdatedAt)
        """;

    public const string ById = $"SELECT {Columns} FROM image_tasks WHERE id = @Id";

    /// <summary>Tasks not expired, newest first; @AllOwners (admins) or the caller's own.</summary>
    public const string List = $"""
        SELECT {Columns} FROM image_tasks WHERE (@AllOwners = 1 OR owner = @Owner) AND (expires_at IS NULL OR expires_at > @Now)
        ORDER BY created_at DESC, id DESC LIMIT @Limit
        """;

    public const string OfImage = $"SELECT {Columns} FROM image_tasks WHERE image_id = @ImageId ORDER BY created_at DESC, id DESC";

    public const string Finish = """
        UPDATE image_tasks SET status = @Status, result = @Result, message = @Message, expires_at = @ExpiresAt, updated_at = @Now
        WHERE id = @Id AND status IN ('pending', 'processing')
        """;

    public const string Start = "UPDATE image_tasks SET status = 'processing', updated_at = @Now WHERE id = @Id AND status = 'pending'";

    /// <summary>Tasks a stopped process left running: they can only fail now.</summary>
    public const string Unfinished = $"SELECT {Columns} FROM image_tasks WHERE status IN ('pending', 'processing') AND updated_at < @Before";
}
