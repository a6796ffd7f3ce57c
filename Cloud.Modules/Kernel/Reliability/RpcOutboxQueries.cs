namespace Cloud.Modules.Kernel.Reliability;

/// <summary>The SQL of <c>rpc_outbox</c> (the kernel's table, migration 0022).</summary>
public static class RpcOutboxQueries
{
    public const string Insert = "INSERT INTO rpc_outbox (id, topic, method, body, created_at, attempts, next_attempt_at) "
        + "VALUES (@Id, @Topic, @Method, @Body, @Now, 0, @NextAttemptAt)";

    /// <summary>The rows whose next attempt is due, oldest first.</summary>
    public const string Due = "SELECT id AS Id, topic AS Topic, method AS Method, body AS Body, created_at AS CreatedAt, attempts AS Attempts, "
        + "next_attempt_at AS NextAttemptAt FROM rpc_outbox WHERE next_attempt_at <= @Now ORDER BY next_attempt_at, id LIMIT @Limit";

    /// <summary>Claims a due row for one sender: zero rows = another sender took it (or it was sent) since it was read.</summary>
    public const string Claim = "UPDATE rpc_outbox SET attempts = attempts + 1, next_attempt_at = @NextAttemptAt "
        + "WHERE id = @Id AND attempts = @Attempts";

    public const string Delete = "DELETE FROM rpc_outbox WHERE id = @Id";

    public const string Count = "SELECT COUNT(*) FROM rpc_outbox";
}
