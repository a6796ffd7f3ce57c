using System.Text.Json;
using Cloud.Modules.Kernel.Auth;
using Cloud.Modules.Kernel.IO;

namespace Cloud.Modules.Kernel.Bus;

/// <summary>
/// Turns messages and replies into the JSON envelope and back. Both transports use it, so the
/// in-process bus exercises exactly the serialisation RabbitMQ sees.
/// </summary>
public sealed class RpcCodec(RpcMessageRegistry registry)
{
    /// <summary>snake_case arguments, as nova's messages had.</summary>
    public static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web)
    {
        PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower,
        DictionaryKeyPolicy = null,
    };

    /// <summary>
    /// The envelope written straight to one JSON writer, the arguments in place: the same bytes as serialising an
    /// <see cref="RpcEnvelope"/> whose <c>args</c> were first serialised to a JsonElement, without that element's
    /// extra serialise, parse and re-write (4.2 % of <c>cloudd bench schedule</c>'s non-JIT samples were under this
    /// method, each instance's casts being encoded three times).
    /// </summary>
    public byte[] EncodeRequest(RequestContext context, IRpcMessage message, string msgId, string? replyTo)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(message);
        var type = message.GetType();
        using var buffer = new PooledBufferWriter(1024);
        using (var writer = new Utf8JsonWriter(buffer, WriterOptions))
        {
            writer.WriteStartObject();
            writer.WriteString(EnvelopeNames.Method, RpcMessageRegistry.MethodOf(type));
            writer.WriteString(EnvelopeNames.Version, RpcMessageRegistry.VersionOf(type));
            writer.WritePropertyName(EnvelopeNames.Args);
            JsonSerializer.Serialize(writer, message, type, Json);
            writer.WritePropertyName(EnvelopeNames.Context);
            JsonSerializer.Serialize(writer, new WireContext(context.UserId, context.ProjectId, context.IsAdmin, context.Roles, context.RequestId, context.RemoteAddress), Json);
            writer.WriteString(EnvelopeNames.MsgId, msgId);
            writer.WriteString(EnvelopeNames.ReplyTo, replyTo);
            writer.WriteEndObject();
        }
        return buffer.Written.ToArray();
    }

    private static readonly JsonWriterOptions WriterOptions = new() { Encoder = Json.Encoder, SkipValidation = true };

    /// <summary>The envelope's property names (<see cref="RpcEnvelope"/>'s), encoded once.</summary>
    private static class EnvelopeNames
    {
        public static readonly JsonEncodedText Method = JsonEncodedText.Encode("method");
        public static readonly JsonEncodedText Version = JsonEncodedText.Encode("version");
        public static readonly JsonEncodedText Args = JsonEncodedText.Encode("args");
        public static readonly JsonEncodedText Context = JsonEncodedText.Encode("context");
        public static readonly JsonEncodedText MsgId = JsonEncodedText.Encode("msg_id");
        public static readonly JsonEncodedText ReplyTo = JsonEncodedText.Encode("reply_to");
    }

    /// <summary>Reads a request. Throws <see cref="RpcDecodeException"/> for anything that is not a known, well-formed message.</summary>
    public DecodedRequest DecodeRequest(ReadOnlySpan<byte> body)
    {
        RpcEnvelope? envelope;
        try
        {
            envelope = JsonSerializer.Deserialize<RpcEnvelope>(body, Json);
        }
        catch (JsonException e)
        {
            throw new RpcDecodeException($"not an RPC envelope: {e.Message}", null, null);
        }
        if (envelope is null || string.IsNullOrEmpty(envelope.Method) || envelope.Context is null)
        {
            throw new RpcDecodeException("not an RPC envelope: method or context missing", envelope?.MsgId, envelope?.ReplyTo);
        }
        if (!registry.TryGetType(envelope.Method, out var type))
        {
            throw new RpcDecodeException($"Unsupported RPC method '{envelope.Method}'.", envelope.MsgId, envelope.ReplyTo, nameof(UnknownRpcMethodException));
        }
        IRpcMessage message;
        try
        {
            message = (IRpcMessage)(envelope.Args.Deserialize(type, Json)
                ?? throw new JsonException("args is null"));
        }
        catch (JsonException e)
        {
            throw new RpcDecodeException($"bad arguments for '{envelope.Method}': {e.Message}", envelope.MsgId, envelope.ReplyTo);
        }
        var c = envelope.Context;
        var context = new RequestContext(c.UserId, c.ProjectId, c.IsAdmin, c.Roles ?? [], c.RequestId ?? RequestContext.NewRequestId(), c.RemoteAddress);
        return new DecodedRequest(envelope.Method, message, context, envelope.MsgId, envelope.ReplyTo);
    }

    public static byte[] EncodeResult(string msgId, object? result) =>
        JsonSerializer.SerializeToUtf8Bytes(
            new RpcReply(msgId, result is null ? null : JsonSerializer.SerializeToElement(result, result.GetType(), Json), null), Json);

    public static byte[] EncodeFailure(string msgId, Exception error) =>
        JsonSerializer.SerializeToUtf8Bytes(new RpcReply(msgId, null, FailureOf(error)), Json);

    public static RpcFailure FailureOf(Exception error) => error switch
    {
        RemoteError r => new RpcFailure(r.Type, r.RemoteMessage, r.Trace),
        RpcDecodeException d => new RpcFailure(d.RemoteType, d.Message, null),
        CloudException c => new RpcFailure(nameof(CloudException), c.Message, c.StackTrace, c.Kind.ToString()),
        _ => new RpcFailure(error.GetType().Name, error.Message, error.StackTrace),
    };

    public static RpcReply DecodeReply(ReadOnlySpan<byte> body) =>
        JsonSerializer.Deserialize<RpcReply>(body, Json) ?? throw new JsonException("empty reply");

    /// <summary>
    /// Unwraps a reply: the typed result; a remote refusal as the same <see cref="CloudException"/> (oslo.messaging
    /// re-raises a remote exception it knows, so nova-api answers a host's InstanceNotFound with a 404); any other remote
    /// failure as <see cref="RemoteError"/>.
    /// </summary>
    public static TReply ResultOf<TReply>(RpcReply reply)
    {
        if (reply.Failure is { } f)
        {
            if (f.Kind is not null && Enum.TryParse<CloudErrorKind>(f.Kind, out var kind) && Enum.IsDefined(kind))
            {
                throw new CloudException(kind, f.Message);
            }
            throw new RemoteError(f.Type, f.Message, f.Trace);
        }
        if (reply.Result is not { } result || result.ValueKind == JsonValueKind.Null)
        {
            return default!;
        }
        return result.Deserialize<TReply>(Json)!;
    }
}

/// <summary>A request as the receiver sees it.</summary>
public sealed record DecodedRequest(string Method, IRpcMessage Message, RequestContext Context, string MsgId, string? ReplyTo);

/// <summary>A request that cannot be read; if it was a call, the caller gets this as its failure.</summary>
public sealed class RpcDecodeException(string message, string? msgId, string? replyTo, string remoteType = "RpcDecodeError")
    : Exception(message)
{
    public string? MsgId { get; } = msgId;

    public string? ReplyTo { get; } = replyTo;

    public string RemoteType { get; } = remoteType;
}
