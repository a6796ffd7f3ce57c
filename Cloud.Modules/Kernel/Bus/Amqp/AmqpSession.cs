using System.Collections.Concurrent;
using RabbitMQ.Client;
using RabbitMQ.Client.Events;

namespace Cloud.Modules.Kernel.Bus.Amqp;

/// <summary>
/// One live connection to the broker and its publishing channel. When the connection drops the session is
/// finished for good; <see cref="AmqpConnection"/> opens a new one and re-declares everything on it.
/// </summary>
internal sealed class AmqpSession : IAsyncDisposable
{
    private static readonly TimeSpan CloseTimeout = TimeSpan.FromSeconds(5);

    private readonly IConnection _connection;
    private readonly string _controlExchange;
    private readonly TaskCompletionSource<ShutdownEventArgs> _closed = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly SemaphoreSlim _channelGate = new(1, 1);
    // What this session's publishing channel has declared; the broker forgets non-durable objects on restart,
    // so the cache lives and dies with the session (and with the channel, see PublishChannelAsync).
    private readonly ConcurrentDictionary<string, byte> _declared = new(StringComparer.Ordinal);
    private IChannel? _publish;

    private AmqpSession(IConnection connection, string controlExchange)
    {
        _connection = connection;
        _controlExchange = controlExchange;
    }

    /// <summary>Connects, and declares the control exchange through a confirming publish channel.</summary>
    public static async Task<AmqpSession> OpenAsync(ConnectionFactory factory, string controlExchange, CancellationToken cancellationToken)
    {
        var connection = await factory.CreateConnectionAsync(cancellationToken).ConfigureAwait(false);
        var session = new AmqpSession(connection, controlExchange);
        connection.ConnectionShutdownAsync += session.OnShutdownAsync;
        if (connection.CloseReason is { } early)
        {
            // Closed before the handler was attached.
            session._closed.TrySetResult(early);
        }
        try
        {
            await session.PublishChannelAsync(cancellationToken).ConfigureAwait(false);
            return session;
        }
        catch
        {
            await session.DisposeAsync().ConfigureAwait(false);
            throw;
        }
    }

    public bool IsOpen => _connection.IsOpen && !_closed.Task.IsCompleted;

    /// <summary>Completes with the reason when the connection closes, whoever closed it.</summary>
    public Task<ShutdownEventArgs> Closed => _closed.Task;

    public string ControlExchange => _controlExchange;

    /// <summary>A channel for consumers; its owner disposes it (closing the connection closes it anyway).</summary>
    public async Task<IChannel> CreateConsumerChannelAsync(ushort dispatchConcurrency, CancellationToken cancellationToken)
    {
        return await _connection.CreateChannelAsync(
            new CreateChannelOptions(publisherConfirmationsEnabled: false, publisherConfirmationTrackingEnabled: false,
                outstandingPublisherConfirmationsRateLimiter: null, consumerDispatchConcurrency: dispatchConcurrency),
            cancellationToken).ConfigureAwait(false);
    }

    /// <summary>
    /// Publishes and returns once the broker confirmed. Safe from many threads: the client serialises frames on
    /// the channel and tracks each confirm separately.
    /// </summary>
    public async Task PublishAsync(AmqpAddress address, BasicProperties properties, ReadOnlyMemory<byte> body, CancellationToken cancellationToken)
    {
        var channel = await PublishChannelAsync(cancellationToken).ConfigureAwait(false);
        if (address.IsFanout)
        {
            await DeclareOnceAsync(channel, $"x:{address.Exchange}",
                c => AmqpTopology.DeclareFanoutExchangeAsync(c, address.Exchange, cancellationToken)).ConfigureAwait(false);
        }
        else if (address.DeclaresQueue)
        {
            await DeclareOnceAsync(channel, $"q:{address.Exchange}:{address.RoutingKey}",
                c => AmqpTopology.DeclareTopicQueueAsync(c, address.Exchange, address.RoutingKey, cancellationToken)).ConfigureAwait(false);
        }
        await channel.BasicPublishAsync(address.Exchange, address.RoutingKey, mandatory: false, properties, body, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Drops the connection so the supervisor reconnects and restores everything.</summary>
    public void Abort() => _ = AbortQuietlyAsync();

    public async ValueTask DisposeAsync()
    {
        _connection.ConnectionShutdownAsync -= OnShutdownAsync;
        _closed.TrySetResult(new ShutdownEventArgs(ShutdownInitiator.Application, Constants.ReplySuccess, "session disposed"));
        try
        {
            // abort: true ignores a broker that is already gone; the timeout bounds one that stopped answering.
            await _connection.CloseAsync(Constants.ReplySuccess, "cloudd bus closed", CloseTimeout, abort: true).ConfigureAwait(false);
        }
        catch (Exception e) when (AmqpErrors.IsTransient(e))
        {
        }
        if (_publish is not null)
        {
            await _publish.DisposeAsync().ConfigureAwait(false);
        }
        await _connection.DisposeAsync().ConfigureAwait(false);
    }

    /// <summary>The confirming channel, re-opened if a refused declaration closed it (the connection survives those).</summary>
    private async ValueTask<IChannel> PublishChannelAsync(CancellationToken cancellationToken)
    {
        if (_publish is { IsOpen: true } open)
        {
            return open;
        }
        await _channelGate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            if (_publish is { IsOpen: true } reopened)
            {
                return reopened;
            }
            _declared.Clear();
            if (_publish is not null)
            {
                await _publish.DisposeAsync().ConfigureAwait(false);
                _publish = null;
            }
            var channel = await _connection.CreateChannelAsync(
                new CreateChannelOptions(publisherConfirmationsEnabled: true, publisherConfirmationTrackingEnabled: true),
                cancellationToken).ConfigureAwait(false);
            try
            {
                await AmqpTopology.DeclareControlExchangeAsync(channel, _controlExchange, cancellationToken).ConfigureAwait(false);
            }
            catch
            {
                await channel.DisposeAsync().ConfigureAwait(false);
                throw;
            }
            _publish = channel;
            return channel;
        }
        finally
        {
            _channelGate.Release();
        }
    }

    private async Task DeclareOnceAsync(IChannel channel, string key, Func<IChannel, Task> declare)
    {
        if (_declared.ContainsKey(key))
        {
            return;
        }
        // Two threads may both declare; declarations are idempotent, so that is only a wasted round trip.
        await declare(channel).ConfigureAwait(false);
        _declared.TryAdd(key, 0);
    }

    private Task OnShutdownAsync(object sender, ShutdownEventArgs reason)
    {
        _closed.TrySetResult(reason);
        return Task.CompletedTask;
    }

    private async Task AbortQuietlyAsync()
    {
        try
        {
            await _connection.AbortAsync(CloseTimeout).ConfigureAwait(false);
        }
        catch (Exception e) when (AmqpErrors.IsTransient(e))
        {
        }
    }
}
