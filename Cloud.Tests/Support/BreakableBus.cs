using System.Collections.Concurrent;
using Cloud.Modules.Kernel.Auth;
using Cloud.Modules.Kernel.Bus;

namespace Cloud.Tests.Support;

/// <summary>
/// A bus that passes everything to an inner one and records each cast it delivered, unless <see cref="Broken"/>:
/// then casts throw <see cref="BusUnavailableException"/> as a bus whose broker is down does after its deadline.
/// <see cref="BeforeCast"/> runs first (a test cancels a request there, say).
/// </summary>
public sealed class BreakableBus(IRpcBus inner) : IRpcBus
{
    private volatile bool _broken;

    public bool Broken
    {
        get => _broken;
        set => _broken = value;
    }

    public Action? BeforeCast { get; set; }

    /// <summary>The casts delivered, in order.</summary>
    public ConcurrentQueue<(Topic Topic, IRpcMessage Message)> Casts { get; } = new();

    /// <summary>The msg_id in each already-encoded cast delivered (<see cref="CastEncodedAsync"/>), in order.</summary>
    public ConcurrentQueue<string> EncodedMsgIds { get; } = new();

    public bool IsConnected => !Broken && inner.IsConnected;

    public Task<TReply> CallAsync<TReply>(RequestContext context, Topic topic, IRpcMessage message, TimeSpan? timeout, CancellationToken cancellationToken) =>
        inner.CallAsync<TReply>(context, topic, message, timeout, cancellationToken);

    public async Task CastAsync(RequestContext context, Topic topic, IRpcMessage message, CancellationToken cancellationToken)
    {
        BeforeCastOrThrow(RpcMessageRegistry.MethodOf(message.GetType()), cancellationToken);
        await inner.CastAsync(context, topic, message, cancellationToken).ConfigureAwait(false);
        Casts.Enqueue((topic, message));
    }

    /// <summary>Records the message decoded from <paramref name="body"/>, as <see cref="CastAsync"/> records its own.</summary>
    public async Task CastEncodedAsync(Topic topic, string method, string msgId, byte[] body, CancellationToken cancellationToken)
    {
        BeforeCastOrThrow(method, cancellationToken);
        await inner.CastEncodedAsync(topic, method, msgId, body, cancellationToken).ConfigureAwait(false);
        var request = TestBus.Codec.DecodeRequest(body);
        Casts.Enqueue((topic, request.Message));
        EncodedMsgIds.Enqueue(request.MsgId);
    }

    private void BeforeCastOrThrow(string method, CancellationToken cancellationToken)
    {
        BeforeCast?.Invoke();
        if (Broken)
        {
            throw new BusUnavailableException($"the message bus did not take '{method}' (broken by the test)");
        }
        cancellationToken.ThrowIfCancellationRequested();
    }

    public Task FanoutCastAsync(RequestContext context, string topic, IRpcMessage message, CancellationToken cancellationToken) =>
        inner.FanoutCastAsync(context, topic, message, cancellationToken);

    public Task<IAsyncDisposable> ServeAsync(string topic, string host, IRpcEndpoint endpoint, CancellationToken cancellationToken) =>
        inner.ServeAsync(topic, host, endpoint, cancellationToken);

    public ValueTask DisposeAsync() => inner.DisposeAsync();
}
