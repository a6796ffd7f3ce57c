namespace Cloud.Modules.Compute;

/// <summary>
/// A row of instance_actions_events: one step a service did for an action (nova's InstanceActionEvent), e.g.
/// <c>compute_pause_instance</c> on host <see cref="Host"/>. <see cref="Result"/> is null while it runs, then
/// <c>Success</c> or <c>Error</c>; a failure keeps its message in <see cref="Details"/> (2.84) and never a stack trace.
/// </summary>
public sealed class InstanceActionEvent
{
    public string Event { get; init; } = "";

    public DateTime StartTime { get; init; }

    public DateTime? FinishTime { get; init; }

    public string? Result { get; init; }

    /// <summary>The failure as <c>Type: message</c> (admins only); null on success.</summary>
    public string? Traceback { get; init; }

    public string? Host { get; init; }

    public string? Details { get; init; }
}
