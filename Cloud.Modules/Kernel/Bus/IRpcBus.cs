using Cloud.Modules.Kernel.Auth;

namespace Cloud.Modules.Kernel.Bus;

/// <summary>
/// The roles' message bus (nova.rpc): request/response <c>call</c>, fire-and-forget <c>cast</c> and
/// <c>fanout</c>, addressed by <see cref="Topic"/>. Implementations: <c>InProcessBus</c> (default) and
/// <c>AmqpBus</c> (RabbitMQ, chosen when <c>--rabbit_host</c> is set).
/// </summary>
public interface IRpcBus : IAsyncDisposable
{
    /// <summary>
    /// Whether the transport can carry messages now (for RabbitMQ: a live connection with the topology restored).
    /// Liveness reporting uses it: a role that cannot reach the broker must not look up.
    /// </summary>
    bool IsConnected { get; }

    /// <summary>
    /// Sends <paramref name="message"/> to one consumer of <paramref name="topic"/> and waits for its reply.
    /// Throws <see cref="RpcTimeoutException"/> after <paramref name="timeout"/> (default: <c>rpc_response_timeout</c>)
    /// and <see cref="RemoteError"/> when the consumer failed.
    /// </summary>
    Task<TReply> CallAsync<TReply>(RequestContext context, Topic topic, IRpcMessage message, TimeSpan? timeout, CancellationToken cancellationToken);

    /// <summary>
    /// Delivers <paramref name="message"/> to one consumer of <paramref name="topic"/> without waiting for it to be handled.
    /// Returns once the transport has the message safely (for RabbitMQ: the broker confirmed it).
    /// </summary>
    Task CastAsync(RequestContext context, Topic topic, IRpcMessage message, CancellationToken cancellationToken);

    /// <summary>
    /// <see cref="CastAsync"/> for a request <see cref="RpcCodec.EncodeRequest"/> already encoded, with
    /// <paramref name="msgId"/> and no reply address: the outbox stores that encoding in its row, and sending those
    /// bytes spares encoding every cast twice. <paramref name="method"/> only names it in errors.
    /// </summary>
    Task CastEncodedAsync(Topic topic, string method, string msgId, byte[] body, CancellationToken cancellationToken);

    /// <summary>Delivers <paramref name="message"/> to every consumer of the topic name (all hosts).</summary>
    Task FanoutCastAsync(RequestContext context, string topic, IRpcMessage message, CancellationToken cancellationToken);

    /// <summary>
    /// Starts consuming <c>topic</c>, <c>topic.host</c> and the topic's fanout for <paramref name="endpoint"/>.
    /// Dispose the result to stop consuming (in-flight messages are finished first).
    /// </summary>
    Task<IAsyncDisposable> ServeAsync(string topic, string host, IRpcEndpoint endpoint, CancellationToken cancellationToken);
}
