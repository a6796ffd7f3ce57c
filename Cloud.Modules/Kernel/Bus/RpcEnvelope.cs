using System.Text.Json;
using System.Text.Json.Serialization;

namespace Cloud.Modules.Kernel.Bus;

/// <summary>
/// The JSON request on the wire (nova's rpc message): <c>method</c>, <c>version</c>, <c>args</c>,
/// <c>context</c>, <c>msg_id</c> and, for calls, <c>reply_to</c>.
/// </summary>
public sealed record RpcEnvelope(
    [property: JsonPropertyName("method")] string Method,
    [property: JsonPropertyName("version")] string Version,
    [property: JsonPropertyName("args")] JsonElement Args,
    [property: JsonPropertyName("context")] WireContext Context,
    [property: JsonPropertyName("msg_id")] string MsgId,
    [property: JsonPropertyName("reply_to")] string? ReplyTo);

/// <summary>The reply to a call: exactly one of <c>result</c> and <c>failure</c>.</summary>
public sealed record RpcReply(
    [property: JsonPropertyName("msg_id")] string MsgId,
    [property: JsonPropertyName("result")] JsonElement? Result,
    [property: JsonPropertyName("failure")] RpcFailure? Failure);

/// <summary>
/// A remote exception: its type, message and trace; for a refusal (<see cref="CloudException"/>) also its kind, so the
/// caller answers the refusal's 4xx and not a 500. An endpoint from before the kind was sent leaves it out.
/// </summary>
public sealed record RpcFailure(
    [property: JsonPropertyName("type")] string Type,
    [property: JsonPropertyName("message")] string Message,
    [property: JsonPropertyName("trace")] string? Trace,
    [property: JsonPropertyName("kind")] string? Kind = null);

/// <summary>The request context as it travels.</summary>
public sealed record WireContext(
    [property: JsonPropertyName("user_id")] string? UserId,
    [property: JsonPropertyName("project_id")] string? ProjectId,
    [property: JsonPropertyName("is_admin")] bool IsAdmin,
    [property: JsonPropertyName("roles")] IReadOnlyList<string> Roles,
    [property: JsonPropertyName("request_id")] string RequestId,
    [property: JsonPropertyName("remote_address")] string? RemoteAddress);
