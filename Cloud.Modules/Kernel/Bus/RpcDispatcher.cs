using Cloud.Modules.Kernel.Logging;
using Cloud.Modules.Kernel.Reliability;
using Microsoft.Extensions.Logging;

namespace Cloud.Modules.Kernel.Bus;

/// <summary>
/// Runs one received request against an endpoint, under the caller's request id, and builds the reply.
/// Shared by every transport so they fail, log, retry and answer alike.
/// </summary>
public sealed partial class RpcDispatcher(RpcCodec codec, ILogger<RpcDispatcher> log, RedeliveryPolicy? redelivery = null)
{
    /// <summary>When the transports deliver a cast again after a transient failure.</summary>
    public RedeliveryPolicy Redelivery { get; } = redelivery ?? RedeliveryPolicy.Default;

    /// <summary>
    /// Handles <paramref name="body"/>, delivered for the <paramref name="attempt"/>th time (1 the first); returns
    /// where to reply and what, nulls for a cast, or <see cref="RpcOutcome.Retry"/> for a cast whose handler failed
    /// transiently and that the transport must deliver again after <see cref="RpcOutcome.RetryAfter"/>.
    /// </summary>
    public async Task<RpcOutcome> HandleAsync(ReadOnlyMemory<byte> body, IRpcEndpoint endpoint, int attempt, CancellationToken cancellationToken)
    {
        DecodedRequest request;
        try
        {
            request = codec.DecodeRequest(body.Span);
        }
        catch (RpcDecodeException e)
        {
            LogUndecodable(e.Message);
            return e.ReplyTo is null || e.MsgId is null
                ? RpcOutcome.None
                : new RpcOutcome(e.ReplyTo, e.MsgId, RpcCodec.EncodeFailure(e.MsgId, e));
        }

        using var scope = log.BeginScope(LogScopes.Request(request.Context.RequestId));
        LogReceived(request.Method, request.MsgId, request.ReplyTo is not null);
        try
        {
            var result = await endpoint.DispatchAsync(request.Context, request.Message, cancellationToken).ConfigureAwait(false);
            return request.ReplyTo is null
                ? RpcOutcome.None
                : new RpcOutcome(request.ReplyTo, request.MsgId, RpcCodec.EncodeResult(request.MsgId, result));
        }
        catch (Exception e) when (e is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            if (request.ReplyTo is not null)
            {
                // A call's caller is waiting: it gets the failure now and decides itself whether to try again.
                LogFailed(e, request.Method, request.MsgId);
                return new RpcOutcome(request.ReplyTo, request.MsgId, RpcCodec.EncodeFailure(request.MsgId, e));
            }
            if (TransientFaults.Classify(e) is not { } unavailable)
            {
                LogFailed(e, request.Method, request.MsgId);
                return RpcOutcome.None;
            }
            if (!Redelivery.MayRetryAfter(attempt))
            {
                LogGaveUp(e, request.Method, request.MsgId, attempt, unavailable);
                return RpcOutcome.None;
            }
            var delay = Redelivery.DelayBefore(attempt + 1);
            LogWillRetry(request.Method, request.MsgId, attempt, unavailable, delay.TotalSeconds, e.Message);
            return RpcOutcome.RetryIn(delay);
        }
    }

    [LoggerMessage(Level = LogLevel.Debug, Message = "received {Method} (msg_id {MsgId}, call: {IsCall})")]
    private partial void LogReceived(string method, string msgId, bool isCall);

    [LoggerMessage(Level = LogLevel.Error, Message = "{Method} (msg_id {MsgId}) failed")]
    private partial void LogFailed(Exception error, string method, string msgId);

    [LoggerMessage(Level = LogLevel.Warning, Message = "{Method} (msg_id {MsgId}) failed on attempt {Attempt} because the {Unavailable} is unavailable; delivering it again in {Seconds} s: {Reason}")]
    private partial void LogWillRetry(string method, string msgId, int attempt, string unavailable, double seconds, string reason);

    [LoggerMessage(Level = LogLevel.Error, Message = "{Method} (msg_id {MsgId}) dropped after {Attempts} attempts: the {Unavailable} stayed unavailable")]
    private partial void LogGaveUp(Exception error, string method, string msgId, int attempts, string unavailable);

    [LoggerMessage(Level = LogLevel.Warning, Message = "dropped an unreadable message: {Reason}")]
    private partial void LogUndecodable(string reason);
}

/// <summary>
/// What to do after handling a request: nothing for a cast, a reply for a call, or (a cast that failed transiently)
/// deliver it again after <see cref="RetryAfter"/>.
/// </summary>
public readonly record struct RpcOutcome(string? ReplyTo, string? MsgId, byte[]? Reply, TimeSpan? RetryAfter = null)
{
    public static RpcOutcome None => default;

    public bool Retry => RetryAfter is not null;

    public static RpcOutcome RetryIn(TimeSpan delay) => new(null, null, null, delay);
}
