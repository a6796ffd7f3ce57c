namespace Cloud.Modules.Compute.Db;

/// <summary>SQL of the instance_actions_events table and the reads of instance_actions (written by <see cref="InstanceQueries.InsertAction"/>).</summary>
internal static class InstanceActionQueries
{
    private const string Columns =
        "id AS Id, instance_uuid AS InstanceUuid, action AS Action, request_id AS RequestId, user_id AS UserId, " +
        "project_id AS ProjectId, message AS Message, start_time AS StartTime, updated_at AS UpdatedAt";

    /// <summary>Newest first, as nova lists them; changes-since/-before bound updated_at.</summary>
    public const string List = $"""
        SELECT {Columns} FROM instance_actions
        WHERE instance_uuid = @Uuid
          AND (@ChangesSince IS NULL OR updated_at >= @ChangesSince)
          AND (@ChangesBefore IS NULL OR updated_at <= @ChangesBefore)
        ORDER BY start_time DESC, id DESC
        """;

    /// <summary>The latest action of a request on an instance (a request acts once per instance).</summary>
    public const string ByRequest = $"""
        SELECT {Columns} FROM instance_actions WHERE instance_uuid = @Uuid AND request_id = @RequestId ORDER BY id DESC LIMIT 1
        """;

    public const string Events = """
        SELECT event AS Event, start_time AS StartTime, finish_time AS FinishTime, result AS Result, traceback AS Traceback,
            host AS Host, details AS Details
        FROM instance_actions_events WHERE action_id = @ActionId ORDER BY id
        """;

    public const string InsertEvent = """
        INSERT INTO instance_actions_events (action_id, event, start_time, host) VALUES (@ActionId, @Event, @Now, @Host)
        """;

    /// <summary>Finishes the event's open row (a redelivered message finishes it once).</summary>
    public const string FinishEvent = """
        UPDATE instance_actions_events SET finish_time = @Now, result = @Result, traceback = @Traceback, details = @Details
        WHERE action_id = @ActionId AND event = @Event AND finish_time IS NULL
        """;

    /// <summary>An event changed the action: it is updated now, and failed (<c>Error</c>) once any event failed.</summary>
    public const string Touch = """
        UPDATE instance_actions SET updated_at = @Now, message = CASE WHEN @Failed = 1 THEN 'Error' ELSE message END WHERE id = @Id
        """;
}
