namespace Cloud.Modules.Compute;

/// <summary>
/// A row of instance_actions: one request that acted on an instance (nova's InstanceAction), found again by its request id.
/// <see cref="Message"/> is null, or <c>Error</c> once one of its events failed.
/// </summary>
/// <remarks>A class with init properties so Dapper can fill it from SQLite's storage types.</remarks>
public sealed class InstanceAction
{
    public long Id { get; init; }

    public string InstanceUuid { get; init; } = "";

    /// <summary>nova's action name: <c>create</c>, <c>delete</c>, <c>reboot</c>, <c>pause</c>, <c>resize</c>, <c>createImage</c>, ...</summary>
    public string Action { get; init; } = "";

    public string RequestId { get; init; } = "";

    public string? UserId { get; init; }

    public string? ProjectId { get; init; }

    public string? Message { get; init; }

    public DateTime StartTime { get; init; }

    /// <summary>When the action or one of its events last changed (2.58).</summary>
    public DateTime? UpdatedAt { get; init; }
}
