namespace Cloud.Modules.Kernel.Service;

/// <summary>SQL of the services table (portable between SQLite and MariaDB; <c>binary</c> is quoted as MySQL reserves it).</summary>
internal static class ServiceQueries
{
    private const string Columns =
        "id AS Id, `binary` AS `Binary`, host AS Host, topic AS Topic, availability_zone AS AvailabilityZone, " +
        "disabled AS Disabled, disabled_reason AS DisabledReason, forced_down AS ForcedDown, stopped AS Stopped, report_count AS ReportCount, created_at AS CreatedAt, updated_at AS UpdatedAt";

    public const string Heartbeat = """
        UPDATE services SET report_count = report_count + 1, updated_at = @Now, topic = @Topic, availability_zone = @Zone, stopped = 0
        WHERE host = @Host AND `binary` = @Binary
        """;

    public const string Insert = """
        INSERT INTO services (`binary`, host, topic, availability_zone, disabled, report_count, created_at, updated_at)
        VALUES (@Binary, @Host, @Topic, @Zone, 0, 1, @Now, @Now)
        """;

    public const string List = $"SELECT {Columns} FROM services ORDER BY host, `binary`";

    public const string ByTopic = $"SELECT {Columns} FROM services WHERE topic = @Topic ORDER BY host";

    public const string SetDisabled = "UPDATE services SET disabled = @Disabled, disabled_reason = NULL WHERE host = @Host AND `binary` = @Binary";

    public const string SetStatus = "UPDATE services SET disabled = @Disabled, disabled_reason = @Reason WHERE host = @Host AND `binary` = @Binary";

    public const string SetForcedDown = "UPDATE services SET forced_down = @ForcedDown WHERE host = @Host AND `binary` = @Binary";

    public const string MarkStopped = "UPDATE services SET stopped = 1 WHERE host = @Host AND `binary` = @Binary";

    public const string Delete = "DELETE FROM services WHERE host = @Host AND `binary` = @Binary";
}
