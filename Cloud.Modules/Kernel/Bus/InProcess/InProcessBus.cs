using System.Collections.Concurrent;
using System.Threading.Channels;
using Cloud.Modules.Kernel.Auth;
using Microsoft.Extensions.Options;

namespace Cloud.Modules.Kernel.Bus.InProcess;

/// <summary>
/// The bus inside one process (the default when <c>--rabbit_host</c> is empty). Every message is encoded to
/// JSON and handled on another task, so roles and tests see the same semantics as over RabbitMQ: shared topics
/// are competing-consumer queues that hold messages until someone consumes them, host topics reach one host,
/// fanout reaches every subscriber, and calls time out when nobody answers.
/// </summary>
public sealed class InProcessBus(RpcCodec codec, RpcDispatcher dispatcher, IOptions<BusFlags> flags) : IRpcBus
{
    /// <summary>In one process the bus is always there.</summary>
    public bool IsConnected => true;

    private readonly ConcurrentDictionary<string, Channel<InProcessDelivery>> _queues = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, ConcurrentDictionary<InProcessSubscription, byte>> _fanout = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, TaskCompletionSource<RpcReply>> _pendingCalls = new(StringComparer.Ordinal);
    // Cancels every handler's token when the bus goes away.
    private readonly CancellationTokenSource _stopping = new();

    public async Task<TReply> CallAsync<TReply>(RequestContext context, Topic topic, IRpcMessage message, TimeSpan? timeout, CancellationToken cancellationToken)
    {
        var msgId = Guid.NewGuid().ToString("N");
        var waiting = new TaskCompletionSource<RpcReply>(TaskCreationOptions.RunContinuationsAsynchronously);
        _pendingCalls[msgId] = waiting;
        var limit = timeout ?? TimeSpan.FromSeconds(flags.Value.RpcResponseTimeout);
        try
        {
            await Queue(topic.RoutingKey).Writer.WriteAsync(First(codec.EncodeRequest(context, message, msgId, InProcessSubscription.ReplyAddress)), cancellationToken).ConfigureAwait(false);
            var reply = await waiting.Task.WaitAsync(limit, cancellationToken).ConfigureAwait(false);
            return RpcCodec.ResultOf<TReply>(reply);
        }
        catch (TimeoutException)
        {
            throw new RpcTimeoutException(topic, RpcMessageRegistry.MethodOf(message.GetType()), msgId, limit);
        }
        finally
        {
            _pendingCalls.TryRemove(msgId, out _);
        }
    }

    public async Task CastAsync(RequestContext context, Topic topic, IRpcMessage message, CancellationToken cancellationToken)
    {
        var msgId = Guid.NewGuid().ToString("N");
        await CastEncodedAsync(topic, RpcMessageRegistry.MethodOf(message.GetType()), msgId, codec.EncodeRequest(context, message, msgId, null), cancellationToken)
            .ConfigureAwait(false);
    }

    public async Task CastEncodedAsync(Topic topic, string method, string msgId, byte[] body, CancellationToken cancellationToken) =>
        await Queue(topic.RoutingKey).Writer.WriteAsync(First(body), cancellationToken).ConfigureAwait(false);

    public async Task FanoutCastAsync(RequestContext context, string topic, IRpcMessage message, CancellationToken cancellationToken)
    {
        var body = First(codec.EncodeRequest(context, message, Guid.NewGuid().ToString("N"), null));
        if (_fanout.TryGetValue(Topic.Shared(topic).FanoutExchange, out var subscribers))
        {
            foreach (var subscriber in subscribers.Keys)
            {
                await subscriber.FanoutQueue.Writer.WriteAsync(body, cancellationToken).ConfigureAwait(false);
            }
        }
    }

    public Task<IAsyncDisposable> ServeAsync(string topic, string host, IRpcEndpoint endpoint, CancellationToken cancellationToken)
    {
        var shared = Topic.Shared(topic);
        var subscription = new InProcessSubscription(
            [Queue(shared.RoutingKey), Queue(Topic.ForHost(topic, host).RoutingKey)],
            endpoint,
            dispatcher,
            Math.Max(1, flags.Value.RpcThreadPoolSize),
            DeliverReply,
            s => _fanout.GetOrAdd(shared.FanoutExchange, _ => new()).TryRemove(s, out _),
            _stopping.Token);
        _fanout.GetOrAdd(shared.FanoutExchange, _ => new())[subscription] = 0;
        subscription.Start();
        return Task.FromResult<IAsyncDisposable>(subscription);
    }

    public async ValueTask DisposeAsync()
    {
        await _stopping.CancelAsync().ConfigureAwait(false);
        foreach (var pending in _pendingCalls.Values)
        {
            pending.TrySetCanceled();
        }
    }

    private Channel<InProcessDelivery> Queue(string routingKey) =>
        _queues.GetOrAdd(routingKey, _ => Channel.CreateUnbounded<InProcessDelivery>(new UnboundedChannelOptions { SingleReader = false }));

    private static InProcessDelivery First(byte[] body) => new(body, Attempt: 1);

    private void DeliverReply(byte[] reply)
    {
        var decoded = RpcCodec.DecodeReply(reply);
        if (_pendingCalls.TryGetValue(decoded.MsgId, out var waiting))
        {
            waiting.TrySetResult(decoded);
        }
    }
}
