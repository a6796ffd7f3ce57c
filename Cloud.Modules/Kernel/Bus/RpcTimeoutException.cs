namespace Cloud.Modules.Kernel.Bus;

/// <summary>A call got no reply in time: nobody consumes the topic, or the consumer is too slow.</summary>
public sealed class RpcTimeoutException(Topic topic, string method, string msgId, TimeSpan timeout)
    : TimeoutException($"Timed out after {timeout.TotalSeconds:0.###}s waiting for a reply to '{method}' on topic '{topic}' (msg_id {msgId}).")
{
    public Topic Topic { get; } = topic;

    public string MsgId { get; } = msgId;
}
