using Microsoft.Extensions.Logging;
using RabbitMQ.Client;

namespace Cloud.Modules.Kernel.Bus.Amqp;

/// <summary>
/// Keeps one connection to the broker alive: connects in the background, and after any drop reconnects with
/// back-off (<c>rabbit_retry_interval</c> doubling up to <c>rabbit_retry_max</c>) and has the bus re-declare its
/// topology and restart its consumers. The client library's own recovery stays off so that the log lines and
/// the order of re-declaration are ours.
/// </summary>
internal sealed class AmqpConnection : IAsyncDisposable
{
    /// <summary>Pause before retrying on a session that is still open (a channel, not the connection, failed).</summary>
    private static readonly TimeSpan ChannelRetryPause = TimeSpan.FromMilliseconds(200);

    private readonly ConnectionFactory _factory;
    private readonly string _host;
    private readonly int _port;
    private readonly string _controlExchange;
    private readonly TimeSpan _firstDelay;
    private readonly TimeSpan _maxDelay;
    private readonly Func<AmqpSession, CancellationToken, Task> _onConnected;
    private readonly ILogger _log;
    private readonly CancellationTokenSource _stop = new();
    private readonly Lock _lock = new();
    private TaskCompletionSource<AmqpSession> _ready = NewReady();
    private Task _supervisor = Task.CompletedTask;

    // onConnected re-declares the bus's topology and restarts its consumers on each new session.
    public AmqpConnection(AmqpFlags flags, Func<AmqpSession, CancellationToken, Task> onConnected, ILogger log)
    {
        _host = flags.RabbitHost;
        _port = flags.RabbitPort;
        _controlExchange = flags.ControlExchange;
        // A zero interval would retry in a tight loop against a dead broker.
        _firstDelay = TimeSpan.FromSeconds(Math.Max(1, flags.RabbitRetryInterval));
        _maxDelay = TimeSpan.FromSeconds(Math.Max(Math.Max(1, flags.RabbitRetryInterval), flags.RabbitRetryMax));
        _onConnected = onConnected;
        _log = log;
        _factory = new ConnectionFactory
        {
            HostName = flags.RabbitHost,
            Port = flags.RabbitPort,
            UserName = flags.RabbitUserId,
            Password = flags.RabbitPassword,
            VirtualHost = flags.RabbitVirtualHost,
            AutomaticRecoveryEnabled = false,
            TopologyRecoveryEnabled = false,
            // Bounds how long a silently dead broker (no FIN/RST) goes unnoticed, and one connect attempt.
            RequestedHeartbeat = TimeSpan.FromSeconds(30),
            RequestedConnectionTimeout = TimeSpan.FromSeconds(10),
            ClientProvidedName = $"cloudd pid {Environment.ProcessId}",
        };
    }

    public void Start() => _supervisor = Task.Run(() => SuperviseAsync(_stop.Token));

    /// <summary>The live session, or null while disconnected.</summary>
    public AmqpSession? Current
    {
        get
        {
            lock (_lock)
            {
                return _ready.Task.IsCompletedSuccessfully && _ready.Task.Result.IsOpen ? _ready.Task.Result : null;
            }
        }
    }

    /// <summary>Waits until connected (and the topology restored). Throws <see cref="ObjectDisposedException"/> once disposed.</summary>
    public async Task<AmqpSession> WaitAsync(CancellationToken cancellationToken)
    {
        while (true)
        {
            Task<AmqpSession> ready;
            lock (_lock)
            {
                ready = _ready.Task;
            }
            var session = await ready.WaitAsync(cancellationToken).ConfigureAwait(false);
            if (session.IsOpen)
            {
                return session;
            }
            // Dead but not yet noticed by the supervisor: stop handing it out, then wait for the next one.
            Invalidate(session);
        }
    }

    /// <summary>
    /// Called after an operation on <paramref name="session"/> failed transiently: a dead session is no longer
    /// handed out; on a live one (only a channel failed) the caller pauses before retrying.
    /// </summary>
    public async Task AfterFailureAsync(AmqpSession session, CancellationToken cancellationToken)
    {
        if (!session.IsOpen)
        {
            Invalidate(session);
            return;
        }
        await Task.Delay(ChannelRetryPause, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Forces a reconnect, so that everything is declared and consumed afresh.</summary>
    public void Recycle(AmqpSession session)
    {
        Invalidate(session);
        session.Abort();
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync().ConfigureAwait(false);
        await _supervisor.ConfigureAwait(false);
        lock (_lock)
        {
            if (!_ready.TrySetException(new ObjectDisposedException(nameof(AmqpBus))))
            {
                _ready = NewReady();
                _ready.SetException(new ObjectDisposedException(nameof(AmqpBus)));
            }
            // Observed, so that nobody ever waiting on it is not reported as an unobserved task exception.
            _ = _ready.Task.Exception;
        }
        _stop.Dispose();
    }

    private async Task SuperviseAsync(CancellationToken stop)
    {
        var delay = _firstDelay;
        var firstFailure = true;
        while (!stop.IsCancellationRequested)
        {
            AmqpSession? session = null;
            try
            {
                session = await AmqpSession.OpenAsync(_factory, _controlExchange, stop).ConfigureAwait(false);
                await _onConnected(session, stop).ConfigureAwait(false);
            }
            catch (Exception e)
            {
                if (session is not null)
                {
                    await session.DisposeAsync().ConfigureAwait(false);
                }
                if (stop.IsCancellationRequested)
                {
                    return;
                }
                // The cause (refused, wrong password, ...) once per outage; the retries repeat only the line.
                AmqpLog.Unreachable(_log, firstFailure ? e : null, _host, _port, (int)delay.TotalSeconds);
                firstFailure = false;
                await PauseAsync(delay, stop).ConfigureAwait(false);
                delay = delay * 2 < _maxDelay ? delay * 2 : _maxDelay;
                continue;
            }

            delay = _firstDelay;
            firstFailure = true;
            Publish(session);
            AmqpLog.Connected(_log, _host, _port);
            try
            {
                var reason = await session.Closed.WaitAsync(stop).ConfigureAwait(false);
                Invalidate(session);
                AmqpLog.Lost(_log, _host, _port, AmqpErrors.Describe(reason));
            }
            catch (OperationCanceledException)
            {
            }
            finally
            {
                await session.DisposeAsync().ConfigureAwait(false);
            }
        }
    }

    private void Publish(AmqpSession session)
    {
        lock (_lock)
        {
            if (!_ready.TrySetResult(session))
            {
                _ready = NewReady();
                _ready.SetResult(session);
            }
        }
    }

    private void Invalidate(AmqpSession session)
    {
        lock (_lock)
        {
            if (_ready.Task.IsCompletedSuccessfully && ReferenceEquals(_ready.Task.Result, session))
            {
                _ready = NewReady();
            }
        }
    }

    private static async Task PauseAsync(TimeSpan delay, CancellationToken stop)
    {
        try
        {
            await Task.Delay(delay, stop).ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
        }
    }

    private static TaskCompletionSource<AmqpSession> NewReady() => new(TaskCreationOptions.RunContinuationsAsynchronously);
}
