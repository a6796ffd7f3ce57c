namespace Cloud.Modules.Kernel.Reliability;

/// <summary>A row of <c>rpc_outbox</c>: one cast not yet known to be delivered.</summary>
public sealed class OutboxRow
{
    public string Id { get; init; } = "";

    /// <summary>The routing key: <c>scheduler</c> or <c>compute.brontes</c>.</summary>
    public string Topic { get; init; } = "";

    /// <summary>The RPC method, for operators and logs.</summary>
    public string Method { get; init; } = "";

    /// <summary>The whole request envelope (method, args, context) as the codec writes it.</summary>
    public string Body { get; init; } = "";

    public DateTime CreatedAt { get; init; }

    public int Attempts { get; init; }

    public DateTime NextAttemptAt { get; init; }
}
