using System.Threading.Channels;

namespace Cloud.Modules.Kernel.Bus.InProcess;

/// <summary>
/// One service consuming its queues on the in-process bus. Messages are handled concurrently up to a limit;
/// disposing stops taking new messages and waits for those in flight.
/// </summary>
internal sealed class InProcessSubscription : IAsyncDisposable
{
    /// <summary>In-process calls are answered straight to the bus's pending-call table, not through a queue name.</summary>
    public const string ReplyAddress = "inprocess-reply";

    private readonly IReadOnlyList<Channel<byte[]>> _queues;
    private readonly IRpcEndpoint _endpoint;
    private readonly RpcDispatcher _dispatcher;
    private readonly SemaphoreSlim _slots;
    private readonly int _concurrency;
    private readonly Action<byte[]> _reply;
    private readonly Action<InProcessSubscription> _unsubscribe;
    private readonly CancellationTokenSource _stop = new();
    private readonly List<Task> _readers = [];

    public InProcessSubscription(IReadOnlyList<Channel<byte[]>> queues, IRpcEndpoint endpoint, RpcDispatcher dispatcher, int concurrency, Action<byte[]> reply, Action<InProcessSubscription> unsubscribe)
    {
        _queues = queues;
        _endpoint = endpoint;
        _dispatcher = dispatcher;
        _concurrency = concurrency;
        _slots = new SemaphoreSlim(concurrency, concurrency);
        _reply = reply;
        _unsubscribe = unsubscribe;
    }

    public Channel<byte[]> FanoutQueue { get; } = Channel.CreateUnbounded<byte[]>();

    public void Start()
    {
        foreach (var queue in _queues.Append(FanoutQueue))
        {
            _readers.Add(Task.Run(() => ReadAsync(queue.Reader)));
        }
    }

    private async Task ReadAsync(ChannelReader<byte[]> reader)
    {
        try
        {
            while (true)
            {
                // Take a slot before taking a message, so a stopped subscription leaves its messages queued for others.
                await _slots.WaitAsync(_stop.Token).ConfigureAwait(false);
                byte[] body;
                try
                {
                    body = await reader.ReadAsync(_stop.Token).ConfigureAwait(false);
                }
                catch
                {
                    _slots.Release();
                    throw;
                }
                _ = HandleAsync(body);
            }
        }
        catch (OperationCanceledException)
        {
        }
    }

    private async Task HandleAsync(byte[] body)
    {
        try
        {
            var outcome = await _dispatcher.HandleAsync(body, _endpoint, CancellationToken.None).ConfigureAwait(false);
            if (outcome.Reply is not null)
            {
                _reply(outcome.Reply);
            }
        }
        finally
        {
            _slots.Release();
        }
    }

    public async ValueTask DisposeAsync()
    {
        _unsubscribe(this);
        await _stop.CancelAsync().ConfigureAwait(false);
        await Task.WhenAll(_readers).ConfigureAwait(false);
        // Every slot back means every in-flight message is finished.
        for (var i = 0; i < _concurrency; i++)
        {
            await _slots.WaitAsync().ConfigureAwait(false);
        }
        _stop.Dispose();
    }
}
