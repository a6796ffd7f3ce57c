using Microsoft.Extensions.Logging;
using RabbitMQ.Client;
using RabbitMQ.Client.Events;

namespace Cloud.Modules.Kernel.Bus.Amqp;

/// <summary>
/// One service consuming <c>topic</c>, <c>topic.host</c> and its own fanout queue on one channel. Started again
/// on every new session, never waiting for the handlers still running on the old one (their acks are lost, the
/// broker delivers those messages again). A cast whose handler failed transiently is published again after the
/// dispatcher's back-off, then acked. Disposing stops taking messages and waits for those in flight; handlers
/// still running after <see cref="HandlerGrace"/> see their token cancelled.
/// </summary>
internal sealed class AmqpSubscription : IAsyncDisposable
{
    private static readonly TimeSpan StopTimeout = TimeSpan.FromSeconds(5);

    /// <summary>How long a stopping service lets its handlers finish before cancelling their token.</summary>
    public static readonly TimeSpan HandlerGrace = TimeSpan.FromSeconds(10);

    private readonly string _topic;
    private readonly string _host;
    private readonly string _fanoutQueue;
    private readonly IRpcEndpoint _endpoint;
    private readonly RpcDispatcher _dispatcher;
    private readonly ushort _concurrency;
    private readonly Func<AmqpSession, RpcOutcome, Task<bool>> _reply;
    private readonly Func<string, IReadOnlyBasicProperties, ReadOnlyMemory<byte>, int, Task<bool>> _redeliver;
    private readonly Action<AmqpSubscription> _unsubscribe;
    private readonly Action<AmqpSession> _recycle;
    private readonly ILogger _log;
    private readonly SemaphoreSlim _gate = new(1, 1);
    private readonly TaskCompletionSource _idle = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly List<string> _consumerTags = [];
    // _draining ends back-off waits as soon as the service stops; _handlers is the handlers' token, cancelled after
    // the grace or when the bus is disposed.
    private readonly CancellationTokenSource _draining = new();
    private readonly CancellationTokenSource _handlers;
    private AmqpSession? _session;
    private IChannel? _channel;
    private int _inFlight;
    private int _stopping;

    // reply sends a call's reply and redeliver publishes a cast again to its queue as the given attempt; both
    // answer false (never throw) when they could not. recycle forces a reconnect when the broker stopped these
    // consumers but not the connection.
    public AmqpSubscription(string topic, string host, IRpcEndpoint endpoint, RpcDispatcher dispatcher, ushort concurrency,
        Func<AmqpSession, RpcOutcome, Task<bool>> reply, Func<string, IReadOnlyBasicProperties, ReadOnlyMemory<byte>, int, Task<bool>> redeliver,
        Action<AmqpSubscription> unsubscribe, Action<AmqpSession> recycle, CancellationToken busStopping, ILogger log)
    {
        _topic = topic;
        _host = host;
        _fanoutQueue = AmqpTopology.FanoutQueueName(topic, host);
        _endpoint = endpoint;
        _dispatcher = dispatcher;
        _concurrency = concurrency;
        _reply = reply;
        _redeliver = redeliver;
        _handlers = CancellationTokenSource.CreateLinkedTokenSource(busStopping);
        _unsubscribe = unsubscribe;
        _recycle = recycle;
        _log = log;
    }

    public string TopicName => _topic;

    public string HostName => _host;

    private bool Stopping => Volatile.Read(ref _stopping) != 0;

    /// <summary>Declares the queues and consumes them on <paramref name="session"/>; does nothing if already done there.</summary>
    public async Task StartAsync(AmqpSession session, CancellationToken cancellationToken)
    {
        if (Stopping)
        {
            return;
        }
        await _gate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            if (Stopping || (ReferenceEquals(_session, session) && _channel is { IsOpen: true }))
            {
                return;
            }
            var channel = await session.CreateConsumerChannelAsync(_concurrency, cancellationToken).ConfigureAwait(false);
            try
            {
                await ConsumeAsync(session, channel, cancellationToken).ConfigureAwait(false);
            }
            catch
            {
                await channel.DisposeAsync().ConfigureAwait(false);
                throw;
            }
            if (_channel is not null)
            {
                // From a dead session; in-flight handlers that still hold it skip their ack. Not awaited: disposal
                // waits for those handlers, and one may be publishing, i.e. waiting for this reconnect to finish.
                DeadResources.DisposeInBackground(_channel);
            }
            _session = session;
            _channel = channel;
        }
        finally
        {
            _gate.Release();
        }
    }

    private async Task ConsumeAsync(AmqpSession session, IChannel channel, CancellationToken cancellationToken)
    {
        // Per consumer; the channel's dispatch concurrency is what bounds handlers running at once.
        await channel.BasicQosAsync(0, _concurrency, global: false, cancellationToken).ConfigureAwait(false);
        var shared = Topic.Shared(_topic).RoutingKey;
        var own = Topic.ForHost(_topic, _host).RoutingKey;
        await AmqpTopology.DeclareTopicQueueAsync(channel, session.ControlExchange, shared, cancellationToken).ConfigureAwait(false);
        await AmqpTopology.DeclareTopicQueueAsync(channel, session.ControlExchange, own, cancellationToken).ConfigureAwait(false);
        await AmqpTopology.DeclareFanoutQueueAsync(channel, Topic.Shared(_topic).FanoutExchange, _fanoutQueue, cancellationToken).ConfigureAwait(false);

        channel.ChannelShutdownAsync += (_, reason) =>
        {
            // The connection's own end is handled by the supervisor; this catches a channel-only error.
            if (reason.Initiator != ShutdownInitiator.Application && !Stopping && session.IsOpen)
            {
                AmqpLog.ConsumerLost(_log, _topic, _host, AmqpErrors.Describe(reason));
                _recycle(session);
            }
            return Task.CompletedTask;
        };
        _consumerTags.Clear();
        foreach (var queue in new[] { AmqpTopology.QueueName(session.ControlExchange, shared), AmqpTopology.QueueName(session.ControlExchange, own), _fanoutQueue })
        {
            var consumer = new AsyncEventingBasicConsumer(channel);
            consumer.ReceivedAsync += (_, delivery) => HandleAsync(session, channel, queue, delivery);
            consumer.UnregisteredAsync += (_, _) =>
            {
                // Not our cancel: the queue was deleted under us. Reconnecting declares it again.
                if (!Stopping && session.IsOpen)
                {
                    AmqpLog.ConsumerLost(_log, _topic, _host, $"consumer of {queue} cancelled");
                    _recycle(session);
                }
                return Task.CompletedTask;
            };
            _consumerTags.Add(await channel.BasicConsumeAsync(queue, autoAck: false, consumer, cancellationToken).ConfigureAwait(false));
        }
    }

    private async Task HandleAsync(AmqpSession session, IChannel channel, string queue, BasicDeliverEventArgs delivery)
    {
        // Counted before the stop check, so DisposeAsync either sees this handler or this handler sees the stop.
        Interlocked.Increment(ref _inFlight);
        try
        {
            if (Stopping)
            {
                // Not acked: the broker gives it to another consumer when this channel closes.
                return;
            }
            var attempt = RedeliveryHeader.AttemptOf(delivery.BasicProperties);
            var outcome = await _dispatcher.HandleAsync(delivery.Body, _endpoint, attempt, _handlers.Token).ConfigureAwait(false);
            // Replied even when the ack cannot follow: the caller may still be waiting, and the duplicate
            // reply of the redelivered request is ignored.
            var settled = outcome.Reply is null || await _reply(session, outcome).ConfigureAwait(false);
            if (outcome.RetryAfter is { } delay)
            {
                settled = await RetryLaterAsync(channel, queue, delivery, attempt + 1, delay).ConfigureAwait(false);
            }
            if (!channel.IsOpen)
            {
                AmqpLog.AckLost(_log, queue, "channel closed");
                return;
            }
            if (!settled)
            {
                // The caller must not wait in vain, nor a cast be lost: handle it again once that can be done.
                await channel.BasicNackAsync(delivery.DeliveryTag, multiple: false, requeue: true).ConfigureAwait(false);
                return;
            }
            await channel.BasicAckAsync(delivery.DeliveryTag, multiple: false).ConfigureAwait(false);
        }
        catch (Exception e) when (AmqpErrors.IsTransient(e) || (e is OperationCanceledException && _handlers.IsCancellationRequested))
        {
            AmqpLog.AckLost(_log, queue, e.Message);
        }
        catch (Exception e)
        {
            AmqpLog.HandlerFailed(_log, e, queue);
        }
        finally
        {
            if (Interlocked.Decrement(ref _inFlight) == 0 && Stopping)
            {
                _idle.TrySetResult();
            }
        }
    }

    /// <summary>
    /// Waits out the back-off, then publishes the message again as <paramref name="nextAttempt"/>; answers whether the
    /// original may be acked. A stop or a dead channel ends the wait early: the broker then delivers the original
    /// again itself, so nothing is published.
    /// </summary>
    private async Task<bool> RetryLaterAsync(IChannel channel, string queue, BasicDeliverEventArgs delivery, int nextAttempt, TimeSpan delay)
    {
        try
        {
            await Task.Delay(delay, _draining.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
            return false;
        }
        return channel.IsOpen && await _redeliver(queue, delivery.BasicProperties, delivery.Body, nextAttempt).ConfigureAwait(false);
    }

    public async ValueTask DisposeAsync()
    {
        // Exchange, not a plain write: a full fence against the increment in HandleAsync.
        if (Interlocked.Exchange(ref _stopping, 1) != 0)
        {
            return;
        }
        _unsubscribe(this);
        await _draining.CancelAsync().ConfigureAwait(false);
        IChannel? channel;
        using var timeout = new CancellationTokenSource(StopTimeout);
        // The gate only orders this against a StartAsync in progress; it is not held while draining, so a
        // reconnect (which restarts every subscription) never waits for this one's slow handlers.
        await _gate.WaitAsync(CancellationToken.None).ConfigureAwait(false);
        try
        {
            channel = _channel;
            if (channel is { IsOpen: true })
            {
                foreach (var tag in _consumerTags)
                {
                    try
                    {
                        await channel.BasicCancelAsync(tag, noWait: false, timeout.Token).ConfigureAwait(false);
                    }
                    catch (Exception e) when (AmqpErrors.IsTransient(e) || e is OperationCanceledException)
                    {
                        // The broker is gone or not answering; closing the channel below stops deliveries anyway.
                    }
                }
            }
        }
        finally
        {
            _gate.Release();
        }
        if (Volatile.Read(ref _inFlight) == 0)
        {
            _idle.TrySetResult();
        }
        _handlers.CancelAfter(HandlerGrace);
        await _idle.Task.ConfigureAwait(false);
        if (channel is not null)
        {
            try
            {
                await channel.CloseAsync(Constants.ReplySuccess, "service stopped", abort: true, CancellationToken.None)
                    .WaitAsync(StopTimeout).ConfigureAwait(false);
            }
            catch (Exception e) when (AmqpErrors.IsTransient(e))
            {
            }
            await channel.DisposeAsync().ConfigureAwait(false);
        }
        // Every handler is done (the count covers old channels' too): nobody reads these any more.
        _draining.Dispose();
        _handlers.Dispose();
    }
}
