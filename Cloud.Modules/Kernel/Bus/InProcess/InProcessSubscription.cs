using System.Threading.Channels;

namespace Cloud.Modules.Kernel.Bus.InProcess;

/// <summary>
/// One service consuming its queues on the in-process bus. Messages are handled concurrently up to a limit; a cast
/// that failed transiently goes back to its queue after the dispatcher's back-off, as RabbitMQ would deliver it again.
/// Disposing stops taking new messages and waits for those in flight; handlers still running after
/// <see cref="HandlerGrace"/> see their token cancelled.
/// </summary>
internal sealed class InProcessSubscription : IAsyncDisposable
{
    /// <summary>In-process calls are answered straight to the bus's pending-call table, not through a queue name.</summary>
    public const string ReplyAddress = "inprocess-reply";

    /// <summary>How long a stopping service lets its handlers finish before cancelling their token.</summary>
    public static readonly TimeSpan HandlerGrace = TimeSpan.FromSeconds(10);

    private readonly IReadOnlyList<Channel<InProcessDelivery>> _queues;
    private readonly IRpcEndpoint _endpoint;
    private readonly RpcDispatcher _dispatcher;
    private readonly SemaphoreSlim _slots;
    private readonly int _concurrency;
    private readonly Action<byte[]> _reply;
    private readonly Action<InProcessSubscription> _unsubscribe;
    // _stop ends the readers and pending back-offs at once; _handlers is the handlers' token, cancelled after the
    // grace or when the bus itself is disposed.
    private readonly CancellationTokenSource _stop = new();
    private readonly CancellationTokenSource _handlers;
    private readonly List<Task> _readers = [];

    public InProcessSubscription(IReadOnlyList<Channel<InProcessDelivery>> queues, IRpcEndpoint endpoint, RpcDispatcher dispatcher, int concurrency,
        Action<byte[]> reply, Action<InProcessSubscription> unsubscribe, CancellationToken busStopping)
    {
        _queues = queues;
        _endpoint = endpoint;
        _dispatcher = dispatcher;
        _concurrency = concurrency;
        _slots = new SemaphoreSlim(concurrency, concurrency);
        _reply = reply;
        _unsubscribe = unsubscribe;
        _handlers = CancellationTokenSource.CreateLinkedTokenSource(busStopping);
    }

    public Channel<InProcessDelivery> FanoutQueue { get; } = Channel.CreateUnbounded<InProcessDelivery>();

    public void Start()
    {
        foreach (var queue in _queues.Append(FanoutQueue))
        {
            _readers.Add(Task.Run(() => ReadAsync(queue)));
        }
    }

    private async Task ReadAsync(Channel<InProcessDelivery> queue)
    {
        try
        {
            while (true)
            {
                // Take a slot before taking a message, so a stopped subscription leaves its messages queued for others.
                await _slots.WaitAsync(_stop.Token).ConfigureAwait(false);
                InProcessDelivery delivery;
                try
                {
                    delivery = await queue.Reader.ReadAsync(_stop.Token).ConfigureAwait(false);
                }
                catch
                {
                    _slots.Release();
                    throw;
                }
                _ = HandleAsync(queue, delivery);
            }
        }
        catch (OperationCanceledException)
        {
        }
    }

    private async Task HandleAsync(Channel<InProcessDelivery> queue, InProcessDelivery delivery)
    {
        // Taken while a slot is held: DisposeAsync cannot have disposed the source yet.
        var stop = _stop.Token;
        RpcOutcome outcome;
        try
        {
            outcome = await _dispatcher.HandleAsync(delivery.Body, _endpoint, delivery.Attempt, _handlers.Token).ConfigureAwait(false);
            if (outcome.Reply is not null)
            {
                _reply(outcome.Reply);
            }
        }
        catch (OperationCanceledException)
        {
            // Cancelled by the stop: back to the queue for whoever serves it next, as an unacked AMQP message would be.
            queue.Writer.TryWrite(delivery);
            return;
        }
        finally
        {
            _slots.Release();
        }
        if (outcome.RetryAfter is { } delay)
        {
            await RequeueAfterAsync(queue, delivery with { Attempt = delivery.Attempt + 1 }, delay, stop).ConfigureAwait(false);
        }
    }

    /// <summary>Puts a message back after its back-off; without holding a slot, so other messages go on meanwhile.</summary>
    private static async Task RequeueAfterAsync(Channel<InProcessDelivery> queue, InProcessDelivery delivery, TimeSpan delay, CancellationToken stop)
    {
        try
        {
            await Task.Delay(delay, stop).ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
            // Stopping: requeued at once, for another consumer of the queue.
        }
        queue.Writer.TryWrite(delivery);
    }

    public async ValueTask DisposeAsync()
    {
        _unsubscribe(this);
        await _stop.CancelAsync().ConfigureAwait(false);
        await Task.WhenAll(_readers).ConfigureAwait(false);
        _handlers.CancelAfter(HandlerGrace);
        // Every slot back means every in-flight message is finished.
        for (var i = 0; i < _concurrency; i++)
        {
            await _slots.WaitAsync().ConfigureAwait(false);
        }
        _stop.Dispose();
        _handlers.Dispose();
    }
}
