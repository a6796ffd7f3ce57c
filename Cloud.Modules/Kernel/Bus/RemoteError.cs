namespace Cloud.Modules.Kernel.Bus;

/// <summary>An exception raised by the remote endpoint of a call, carried back over the bus.</summary>
public sealed class RemoteError(string type, string remoteMessage, string? trace)
    : Exception($"Remote error: {type} {remoteMessage}")
{
    /// <summary>The remote exception's type name, e.g. <c>InstanceNotFound</c>.</summary>
    public string Type { get; } = type;

    public string RemoteMessage { get; } = remoteMessage;

    /// <summary>The remote stack trace, for logs only; never shown to API users.</summary>
    public string? Trace { get; } = trace;
}
