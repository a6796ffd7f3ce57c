using Microsoft.Extensions.Logging;
using RabbitMQ.Client;

namespace Cloud.Modules.Kernel.Bus.Amqp;

/// <summary>
/// Keeps one connection to the broker alive: connects in the background, and after any drop reconnects (see
/// <see cref="ReconnectSchedule"/>) and has the bus restore what publishers need (its reply queue), hands the
/// session to publishers, then has the bus restart its consumers. Nothing on this path waits for a message
/// handler: a handler still running on the dead connection may itself be waiting here to publish. The client
/// library's own recovery stays off so that the log lines and the order of re-declaration are ours.
/// </summary>
internal sealed class AmqpConnection : IAsyncDisposable
{
    /// <summary>Pause before retrying on a session that is still open (a channel, not the connection, failed).</summary>
    private static readonly TimeSpan ChannelRetryPause = TimeSpan.FromMilliseconds(200);

    private readonly ConnectionFactory _factory;
    private readonly string _host;
    private readonly int _port;
    private readonly string _controlExchange;
    private readonly ReconnectSchedule _schedule;
    private readonly Func<AmqpSession, CancellationToken, Task> _beforePublish;
    private readonly Func<AmqpSession, CancellationToken, Task> _afterPublish;
    private readonly ILogger _log;
    private readonly CancellationTokenSource _stop = new();
    private readonly Lock _lock = new();
    private TaskCompletionSource<AmqpSession> _ready = NewReady();
    private Task _supervisor = Task.CompletedTask;

    // On each new session beforePublish restores what publishers need, afterPublish restarts the consumers.
    public AmqpConnection(AmqpFlags flags, Func<AmqpSession, CancellationToken, Task> beforePublish,
        Func<AmqpSession, CancellationToken, Task> afterPublish, ILogger log)
    {
        _host = flags.RabbitHost;
        _port = flags.RabbitPort;
        _controlExchange = flags.ControlExchange;
        // A zero interval would retry in a tight loop against a dead broker.
        var interval = Math.Max(1, flags.RabbitRetryInterval);
        _schedule = new ReconnectSchedule(TimeSpan.FromSeconds(interval), TimeSpan.FromSeconds(Math.Max(interval, flags.RabbitRetryMax)));
        _beforePublish = beforePublish;
        _afterPublish = afterPublish;
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

    /// <summary>Where the broker is, for messages that say it is unavailable.</summary>
    public string Broker => $"{_host}:{_port}";

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
        DateTime? outageSince = null;
        while (!stop.IsCancellationRequested)
        {
            AmqpSession? session = null;
            var published = false;
            try
            {
                session = await AmqpSession.OpenAsync(_factory, _controlExchange, stop).ConfigureAwait(false);
                await _beforePublish(session, stop).ConfigureAwait(false);
                // Publishers (and handlers that publish) go on while the consumers are restarted.
                Publish(session);
                published = true;
                await _afterPublish(session, stop).ConfigureAwait(false);
            }
            catch (Exception e)
            {
                if (session is not null)
                {
                    if (published)
                    {
                        Invalidate(session);
                    }
                    DeadResources.DisposeInBackground(session);
                }
                if (stop.IsCancellationRequested)
                {
                    return;
                }
                var now = DateTime.UtcNow;
                // The cause (refused, wrong password, ...) once per outage; the retries repeat only the line.
                var firstFailure = outageSince is null;
                outageSince ??= now;
                var delay = _schedule.Next(now - outageSince.Value);
                AmqpLog.Unreachable(_log, firstFailure ? e : null, _host, _port, (int)delay.TotalSeconds);
                await PauseAsync(delay, stop).ConfigureAwait(false);
                continue;
            }

            outageSince = null;
            _schedule.Reset();
            AmqpLog.Connected(_log, _host, _port);
            try
            {
                var reason = await session.Closed.WaitAsync(stop).ConfigureAwait(false);
                Invalidate(session);
                AmqpLog.Lost(_log, _host, _port, AmqpErrors.Describe(reason));
                // Not awaited: closing a dead connection must not hold up the next one.
                DeadResources.DisposeInBackground(session);
            }
            catch (OperationCanceledException)
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
