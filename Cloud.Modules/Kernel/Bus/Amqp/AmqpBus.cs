using System.Collections.Concurrent;
using System.Globalization;
using System.Text.Json;
using Cloud.Modules.Kernel.Auth;
using Microsoft.Extensions.Logging;
using RabbitMQ.Client;
using RabbitMQ.Client.Events;

namespace Cloud.Modules.Kernel.Bus.Amqp;

/// <summary>
/// The bus over RabbitMQ, laid out as nova's: a durable topic exchange <c>control_exchange</c>; durable queues
/// <c>topic</c> and <c>topic.host</c>; a fanout exchange <c>topic_fanout</c> with one exclusive queue per
/// service; one exclusive reply queue per process. Casts and calls are persistent and return once the broker
/// confirmed them; consumers ack after handling (at least once). The connection is made in the background and
/// re-made after any drop, re-declaring everything; publishes wait for it (casts at most <c>rpc_cast_timeout</c>,
/// then <see cref="BusUnavailableException"/>) and are re-sent when a drop left them unconfirmed, so a broker
/// restart loses no cast (it may duplicate some). A cast whose handler failed transiently is published again to
/// its queue after the dispatcher's back-off, with its attempt count in a header.
/// </summary>
public sealed class AmqpBus : IRpcBus
{
    private readonly AmqpFlags _amqp;
    private readonly BusFlags _bus;
    private readonly RpcCodec _codec;
    private readonly RpcDispatcher _dispatcher;
    private readonly ILogger _log;
    private readonly AmqpConnection _connection;
    private readonly string _replyQueue = AmqpTopology.ReplyQueueName();
    private readonly ConcurrentDictionary<string, TaskCompletionSource<RpcReply>> _pendingCalls = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<AmqpSubscription, byte> _subscriptions = new();
    private readonly ushort _concurrency;
    // Cancels every handler's token when the bus goes away.
    private readonly CancellationTokenSource _stopping = new();
    private IChannel? _replyChannel;
    // The session whose consumers are all restored: until then the bus is not fully connected.
    private AmqpSession? _restored;
    private int _disposed;

    /// <summary>Starts connecting in the background; never waits for the broker.</summary>
    public AmqpBus(AmqpFlags amqp, BusFlags bus, RpcCodec codec, RpcDispatcher dispatcher, ILogger<AmqpBus> log)
    {
        _amqp = amqp;
        _bus = bus;
        _codec = codec;
        _dispatcher = dispatcher;
        _log = log;
        _concurrency = (ushort)Math.Clamp(bus.RpcThreadPoolSize, 1, ushort.MaxValue);
        _connection = new AmqpConnection(amqp, RestoreRepliesAsync, RestoreConsumersAsync, log);
        _connection.Start();
    }

    /// <summary>Connected, and every consumer restored on that connection.</summary>
    public bool IsConnected => _connection.Current is { } session && ReferenceEquals(Volatile.Read(ref _restored), session);

    /// <summary>This process's reply queue.</summary>
    internal string ReplyQueue => _replyQueue;

    public async Task<TReply> CallAsync<TReply>(RequestContext context, Topic topic, IRpcMessage message, TimeSpan? timeout, CancellationToken cancellationToken)
    {
        ObjectDisposedException.ThrowIf(Volatile.Read(ref _disposed) != 0, this);
        var method = RpcMessageRegistry.MethodOf(message.GetType());
        var msgId = Guid.NewGuid().ToString("N");
        var limit = timeout ?? TimeSpan.FromSeconds(_bus.RpcResponseTimeout);
        var body = _codec.EncodeRequest(context, message, msgId, _replyQueue);
        var waiting = new TaskCompletionSource<RpcReply>(TaskCreationOptions.RunContinuationsAsynchronously);
        // One deadline for waiting on the connection, the confirm and the reply.
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        deadline.CancelAfter(limit);
        _pendingCalls[msgId] = waiting;
        try
        {
            try
            {
                await PublishAsync(AmqpAddress.ToTopic(_amqp.ControlExchange, topic),
                    () => RequestProperties(msgId, _replyQueue, limit), body, deadline.Token).ConfigureAwait(false);
            }
            catch (OperationCanceledException) when (deadline.IsCancellationRequested && !cancellationToken.IsCancellationRequested)
            {
                // Nobody could have answered a call the broker never took: the bus is down, not the callee slow.
                throw Unavailable(method, limit);
            }
            var reply = await waiting.Task.WaitAsync(deadline.Token).ConfigureAwait(false);
            return RpcCodec.ResultOf<TReply>(reply);
        }
        catch (OperationCanceledException) when (deadline.IsCancellationRequested && !cancellationToken.IsCancellationRequested)
        {
            throw new RpcTimeoutException(topic, method, msgId, limit);
        }
        finally
        {
            _pendingCalls.TryRemove(msgId, out _);
        }
    }

    public Task CastAsync(RequestContext context, Topic topic, IRpcMessage message, CancellationToken cancellationToken) =>
        CastToAsync(AmqpAddress.ToTopic(_amqp.ControlExchange, topic), context, message, cancellationToken);

    public Task CastEncodedAsync(Topic topic, string method, string msgId, byte[] body, CancellationToken cancellationToken) =>
        PublishCastAsync(AmqpAddress.ToTopic(_amqp.ControlExchange, topic), method, msgId, body, cancellationToken);

    public Task FanoutCastAsync(RequestContext context, string topic, IRpcMessage message, CancellationToken cancellationToken) =>
        CastToAsync(AmqpAddress.ToFanout(Topic.Shared(topic).FanoutExchange), context, message, cancellationToken);

    private Task CastToAsync(AmqpAddress address, RequestContext context, IRpcMessage message, CancellationToken cancellationToken)
    {
        var msgId = Guid.NewGuid().ToString("N");
        return PublishCastAsync(address, RpcMessageRegistry.MethodOf(message.GetType()), msgId, _codec.EncodeRequest(context, message, msgId, null), cancellationToken);
    }

    /// <summary>Publishes an encoded cast, waiting for the broker at most <c>rpc_cast_timeout</c>.</summary>
    private async Task PublishCastAsync(AmqpAddress address, string method, string msgId, byte[] body, CancellationToken cancellationToken)
    {
        ObjectDisposedException.ThrowIf(Volatile.Read(ref _disposed) != 0, this);
        var limit = TimeSpan.FromSeconds(_bus.RpcCastTimeout);
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        deadline.CancelAfter(limit);
        try
        {
            await PublishAsync(address, () => RequestProperties(msgId, null, null), body, deadline.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (deadline.IsCancellationRequested && !cancellationToken.IsCancellationRequested)
        {
            throw Unavailable(method, limit);
        }
    }

    private BusUnavailableException Unavailable(string method, TimeSpan limit) => new(
        $"the message bus (RabbitMQ at {_connection.Broker}) did not take '{method}' within {limit.TotalSeconds.ToString("0.###", CultureInfo.InvariantCulture)} s");

    /// <summary>Returns once the queues are declared and consumed, waiting for the broker if need be.</summary>
    public async Task<IAsyncDisposable> ServeAsync(string topic, string host, IRpcEndpoint endpoint, CancellationToken cancellationToken)
    {
        ObjectDisposedException.ThrowIf(Volatile.Read(ref _disposed) != 0, this);
        _ = Topic.ForHost(topic, host); // validates both names before anything is declared
        var subscription = new AmqpSubscription(topic, host, endpoint, _dispatcher, _concurrency, ReplyAsync, RedeliverAsync,
            s => _subscriptions.TryRemove(s, out _), _connection.Recycle, _stopping.Token, _log);
        // Registered first, so a reconnect from here on restarts it too.
        _subscriptions[subscription] = 0;
        try
        {
            while (true)
            {
                var session = await _connection.WaitAsync(cancellationToken).ConfigureAwait(false);
                try
                {
                    await subscription.StartAsync(session, cancellationToken).ConfigureAwait(false);
                    return subscription;
                }
                catch (Exception e) when (AmqpErrors.IsTransient(e) && !cancellationToken.IsCancellationRequested)
                {
                    await _connection.AfterFailureAsync(session, cancellationToken).ConfigureAwait(false);
                }
            }
        }
        catch
        {
            await subscription.DisposeAsync().ConfigureAwait(false);
            throw;
        }
    }

    /// <summary>Stops the consumers (finishing what they are handling), then the connection. Bounded when the broker is down.</summary>
    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0)
        {
            return;
        }
        await _stopping.CancelAsync().ConfigureAwait(false);
        foreach (var subscription in _subscriptions.Keys)
        {
            await subscription.DisposeAsync().ConfigureAwait(false);
        }
        await _connection.DisposeAsync().ConfigureAwait(false);
        if (Interlocked.Exchange(ref _replyChannel, null) is { } replies)
        {
            await replies.DisposeAsync().ConfigureAwait(false);
        }
        foreach (var pending in _pendingCalls.Values)
        {
            pending.TrySetException(new ObjectDisposedException(nameof(AmqpBus)));
        }
    }

    /// <summary>
    /// Publishes until the broker confirms: a publish cut off by a dropped connection is sent again on the
    /// next one. Only cancellation, disposal or a refusal by the broker end it early.
    /// </summary>
    private async Task PublishAsync(AmqpAddress address, Func<BasicProperties> properties, ReadOnlyMemory<byte> body, CancellationToken cancellationToken)
    {
        while (true)
        {
            var session = await _connection.WaitAsync(cancellationToken).ConfigureAwait(false);
            try
            {
                // Fresh properties each attempt: the client adds its confirm-tracking header to them.
                await session.PublishAsync(address, properties(), body, cancellationToken).ConfigureAwait(false);
                return;
            }
            catch (Exception e) when (AmqpErrors.IsTransient(e) && !cancellationToken.IsCancellationRequested)
            {
                AmqpLog.Republishing(_log, address.Exchange, address.RoutingKey, e.Message);
                await _connection.AfterFailureAsync(session, cancellationToken).ConfigureAwait(false);
            }
        }
    }

    /// <summary>Runs on every new connection before it is handed to publishers: a call's reply needs its queue.</summary>
    private async Task RestoreRepliesAsync(AmqpSession session, CancellationToken cancellationToken)
    {
        var replies = await session.CreateConsumerChannelAsync(1, cancellationToken).ConfigureAwait(false);
        try
        {
            await AmqpTopology.DeclareReplyQueueAsync(replies, _replyQueue, cancellationToken).ConfigureAwait(false);
            var consumer = new AsyncEventingBasicConsumer(replies);
            consumer.ReceivedAsync += OnReplyAsync;
            // Auto-ack: a reply is only worth anything to this process, so there is nothing to redeliver it to.
            await replies.BasicConsumeAsync(_replyQueue, autoAck: true, consumer, cancellationToken).ConfigureAwait(false);
        }
        catch
        {
            await replies.DisposeAsync().ConfigureAwait(false);
            throw;
        }
        if (Interlocked.Exchange(ref _replyChannel, replies) is { } previous)
        {
            DeadResources.DisposeInBackground(previous);
        }
    }

    /// <summary>
    /// Runs on every new connection once publishers have it: restarts every service's consumers. Never waits for
    /// a handler still running on the old connection (it may be publishing, i.e. waiting for this connection).
    /// </summary>
    private async Task RestoreConsumersAsync(AmqpSession session, CancellationToken cancellationToken)
    {
        foreach (var subscription in _subscriptions.Keys)
        {
            try
            {
                await subscription.StartAsync(session, cancellationToken).ConfigureAwait(false);
            }
            catch (Exception e) when (!AmqpErrors.IsTransient(e) && e is not OperationCanceledException)
            {
                // One refused service must not keep the others (and every publisher) disconnected.
                AmqpLog.RestoreRefused(_log, e, subscription.TopicName, subscription.HostName);
            }
        }
        Volatile.Write(ref _restored, session);
    }

    private Task OnReplyAsync(object sender, BasicDeliverEventArgs delivery)
    {
        RpcReply reply;
        try
        {
            reply = RpcCodec.DecodeReply(delivery.Body.Span);
        }
        catch (JsonException e)
        {
            AmqpLog.BadReply(_log, e.Message);
            return Task.CompletedTask;
        }
        if (_pendingCalls.TryGetValue(reply.MsgId, out var waiting))
        {
            waiting.TrySetResult(reply);
        }
        else
        {
            AmqpLog.LateReply(_log, reply.MsgId);
        }
        return Task.CompletedTask;
    }

    /// <summary>
    /// Sends a reply on the connection the request came in on (it may not be handed to publishers yet while
    /// the topology is being restored), else on the current one. Never waits for a connection: without one
    /// the request's channel is gone too, and the request will be delivered again.
    /// </summary>
    private async Task<bool> ReplyAsync(AmqpSession delivered, RpcOutcome outcome)
    {
        var session = delivered.IsOpen ? delivered : _connection.Current;
        if (session is null)
        {
            return false;
        }
        var properties = new BasicProperties
        {
            ContentType = "application/json",
            CorrelationId = outcome.MsgId,
            DeliveryMode = DeliveryModes.Transient,
        };
        using var deadline = new CancellationTokenSource(TimeSpan.FromSeconds(_bus.RpcCastTimeout));
        try
        {
            await session.PublishAsync(AmqpAddress.ToQueue(outcome.ReplyTo!), properties, outcome.Reply!, deadline.Token).ConfigureAwait(false);
            return true;
        }
        catch (Exception e) when (AmqpErrors.IsTransient(e) || e is OperationCanceledException)
        {
            AmqpLog.Republishing(_log, "", outcome.ReplyTo!, e.Message);
            return false;
        }
    }

    /// <summary>
    /// Puts a cast back at the end of <paramref name="queue"/> for another attempt (any consumer of the queue may
    /// take it); answers false when the broker did not take it within <c>rpc_cast_timeout</c>.
    /// </summary>
    private async Task<bool> RedeliverAsync(string queue, IReadOnlyBasicProperties received, ReadOnlyMemory<byte> body, int attempt)
    {
        using var deadline = new CancellationTokenSource(TimeSpan.FromSeconds(_bus.RpcCastTimeout));
        try
        {
            await PublishAsync(AmqpAddress.ToQueue(queue), () => RedeliveryHeader.Next(received, attempt), body, deadline.Token).ConfigureAwait(false);
            return true;
        }
        catch (Exception e) when (AmqpErrors.IsTransient(e) || e is OperationCanceledException)
        {
            AmqpLog.Republishing(_log, "", queue, e.Message);
            return false;
        }
    }

    private static BasicProperties RequestProperties(string msgId, string? replyTo, TimeSpan? expiresAfter) => new()
    {
        ContentType = "application/json",
        DeliveryMode = DeliveryModes.Persistent,
        MessageId = msgId,
        CorrelationId = replyTo is null ? null : msgId,
        ReplyTo = replyTo,
        // A call nobody waits for any more should not run: it expires in the queue with its caller's timeout.
        Expiration = expiresAfter is { } ttl && ttl > TimeSpan.Zero
            ? ((long)Math.Min(Math.Ceiling(ttl.TotalMilliseconds), int.MaxValue)).ToString(CultureInfo.InvariantCulture)
            : null,
    };
}
