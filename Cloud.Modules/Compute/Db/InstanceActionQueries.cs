namespace Cloud.Modules.Compute.Db;

/// <summary>SQL of the instance_actions_events table and the reads of instance_actions (written by <see cref="InstanceQueries.InsertAction"/>).</summary>
internal static class InstanceActionQueries
{
    /// <summary>An action changes when it starts and when one of its events starts or finishes.</summary>
    private const string UpdatedAt =
        "COALESCE((SELECT MAX(COALESCE(e.finish_time, e.start_time)) FROM instance_actions_events e WHERE e.action_id = a.id), a.start_time)";

    private const string Columns =
        "a.id AS Id, a.instance_uuid AS InstanceUuid, a.action AS Action, a.request_id AS RequestId, a.user_id AS UserId, " +
        "a.project_id AS ProjectId, a.message AS Message, a.start_time AS StartTime, " + UpdatedAt + " AS UpdatedAt";

    /// <summary>Newest first, as nova lists them; changes-since/-before bound updated_at.</summary>
    public const string List = $"""
        SELECT {Columns} FROM instance_actions a
        WHERE a.instance_uuid = @Uuid
          AND (@ChangesSince IS NULL OR {UpdatedAt} >= @ChangesSince)
          AND (@ChangesBefore IS NULL OR {UpdatedAt} <= @ChangesBefore)
        ORDER BY a.start_time DESC, a.id DESC
        """;

    /// <summary>The latest action of a request on an instance (a request acts once per instance).</summary>
    public const string ByRequest = $"""
        SELECT {Columns} FROM instance_actions a WHERE a.instance_uuid = @Uuid AND a.request_id = @RequestId ORDER BY a.id DESC LIMIT 1
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

    /// <summary>One of the action's events failed: so did the action (nova's message <c>Error</c>).</summary>
    public const string Failed = "UPDATE instance_actions SET message = 'Error' WHERE id = @Id";
}
