using Cloud.Modules.Kernel.Logging;
using Microsoft.Extensions.Logging;

namespace Cloud.Modules.Kernel.Bus;

/// <summary>
/// Runs one received request against an endpoint, under the caller's request id, and builds the reply.
/// Shared by every transport so they fail, log and answer alike.
/// </summary>
public sealed partial class RpcDispatcher(RpcCodec codec, ILogger<RpcDispatcher> log)
{
    /// <summary>Handles <paramref name="body"/>; returns where to reply and what, or nulls for a cast.</summary>
    public async Task<RpcOutcome> HandleAsync(ReadOnlyMemory<byte> body, IRpcEndpoint endpoint, CancellationToken cancellationToken)
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
            LogFailed(e, request.Method, request.MsgId);
            return request.ReplyTo is null
                ? RpcOutcome.None
                : new RpcOutcome(request.ReplyTo, request.MsgId, RpcCodec.EncodeFailure(request.MsgId, e));
        }
    }

    [LoggerMessage(Level = LogLevel.Debug, Message = "received {Method} (msg_id {MsgId}, call: {IsCall})")]
    private partial void LogReceived(string method, string msgId, bool isCall);

    [LoggerMessage(Level = LogLevel.Error, Message = "{Method} (msg_id {MsgId}) failed")]
    private partial void LogFailed(Exception error, string method, string msgId);

    [LoggerMessage(Level = LogLevel.Warning, Message = "dropped an unreadable message: {Reason}")]
    private partial void LogUndecodable(string reason);
}

/// <summary>What to send back after handling a request: nothing for a cast, a reply for a call.</summary>
public readonly record struct RpcOutcome(string? ReplyTo, string? MsgId, byte[]? Reply)
{
    public static RpcOutcome None => default;
}
