using Microsoft.Extensions.Logging;

namespace Cloud.Modules.Kernel.Bus.Amqp;

/// <summary>The AMQP bus's log lines, all under the <see cref="AmqpBus"/> category.</summary>
internal static partial class AmqpLog
{
    // Operators and tests grep for this exact text (nova's own wording).
    [LoggerMessage(Level = LogLevel.Error, Message = "AMQP server on {Host}:{Port} is unreachable. Trying again in {Seconds} seconds.")]
    public static partial void Unreachable(ILogger log, Exception? error, string host, int port, int seconds);

    [LoggerMessage(Level = LogLevel.Information, Message = "Connected to AMQP server on {Host}:{Port}")]
    public static partial void Connected(ILogger log, string host, int port);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Lost the connection to AMQP server on {Host}:{Port}: {Reason}")]
    public static partial void Lost(ILogger log, string host, int port, string reason);

    [LoggerMessage(Level = LogLevel.Debug, Message = "publish to '{Exchange}' with key '{RoutingKey}' was not confirmed ({Reason}); publishing it again")]
    public static partial void Republishing(ILogger log, string exchange, string routingKey, string reason);

    [LoggerMessage(Level = LogLevel.Warning, Message = "consumers of topic {Topic} on {Host} were stopped by the broker ({Reason}); reconnecting to restore them")]
    public static partial void ConsumerLost(ILogger log, string topic, string host, string reason);

    [LoggerMessage(Level = LogLevel.Error, Message = "could not restore the consumers of topic {Topic} on {Host}; they stay stopped until the next reconnect")]
    public static partial void RestoreRefused(ILogger log, Exception error, string topic, string host);

    [LoggerMessage(Level = LogLevel.Debug, Message = "message from {Queue} handled but not acknowledged ({Reason}); the broker will deliver it again")]
    public static partial void AckLost(ILogger log, string queue, string reason);

    [LoggerMessage(Level = LogLevel.Error, Message = "handling a message from {Queue} failed")]
    public static partial void HandlerFailed(ILogger log, Exception error, string queue);

    [LoggerMessage(Level = LogLevel.Debug, Message = "reply for msg_id {MsgId} arrived after its call gave up")]
    public static partial void LateReply(ILogger log, string msgId);

    [LoggerMessage(Level = LogLevel.Warning, Message = "dropped an unreadable reply: {Reason}")]
    public static partial void BadReply(ILogger log, string reason);
}
