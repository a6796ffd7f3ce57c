namespace Cloud.Modules.Kernel.Logging;

/// <summary>The log scopes cloudd uses; their keys become structured properties of every event inside them.</summary>
public static class LogScopes
{
    public const string RoleKey = "Role";
    public const string RequestIdKey = "RequestId";

    /// <summary>Events inside go to the role's log file.</summary>
    public static Dictionary<string, object> Role(string role) => new(1) { [RoleKey] = role };

    public static Dictionary<string, object> Request(string requestId) => new(1) { [RequestIdKey] = requestId };
}
