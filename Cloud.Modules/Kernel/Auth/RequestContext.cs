namespace Cloud.Modules.Kernel.Auth;

/// <summary>
/// Who asks, for which project, under which request id (nova's RequestContext). Travels with every bus
/// message so a manager acts with the caller's rights and logs the caller's request id. Carries no secrets.
/// </summary>
public sealed record RequestContext(
    string? UserId,
    string? ProjectId,
    bool IsAdmin,
    IReadOnlyList<string> Roles,
    string RequestId,
    string? RemoteAddress = null)
{
    /// <summary>A fresh nova-style request id: <c>req-&lt;uuid&gt;</c>.</summary>
    public static string NewRequestId() => $"req-{Guid.NewGuid()}";

    /// <summary>The context services use for their own work (heartbeats, periodic tasks).</summary>
    public static RequestContext Service(string? requestId = null) =>
        new(null, null, IsAdmin: true, ["admin"], requestId ?? NewRequestId());
}
