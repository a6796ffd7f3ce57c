using Microsoft.AspNetCore.Http;

namespace Cloud.Modules.Swift.Proxy.Middleware.Versioning;

/// <summary>
/// A sub-request of a versioning middleware failed: the client's request stops there with <see cref="Status"/> (swift
/// raises the same HTTPException from deep inside its helpers).
/// </summary>
public sealed class VersioningFailure(int status, string? message = null) : Exception(message ?? "versioning sub-request failed")
{
    public int Status { get; } = status;

    /// <summary>The body to answer with (swob's standard page when null).</summary>
    public string? Body { get; } = message;

    /// <summary>Stops unless <paramref name="response"/> succeeded (412 for a client error, else 503).</summary>
    public static void ThrowUnlessSuccess(ProxySubResponse response)
    {
        ArgumentNullException.ThrowIfNull(response);
        if (response.Failure is { } status)
        {
            throw new VersioningFailure(status);
        }
    }

    /// <summary>Writes the failure to the client.</summary>
    public Task WriteAsync(HttpContext context) =>
        SwiftProxyReply.ErrorAsync(context, Status, Body ?? (Status == StatusCodes.Status412PreconditionFailed ? "Precondition Failed" : "Service Unavailable"));

    /// <summary>A text/plain refusal as swift's versioning middlewares give some (<c>content_type='text/plain'</c>).</summary>
    public static Task PlainAsync(HttpContext context, int status, string message) => SwiftProxyReply.PlainErrorAsync(context, status, message);

    /// <summary>Relays a sub-request's answer to the client as the answer of its own request.</summary>
    public static async Task RelayAsync(HttpContext context, ProxySubResponse response)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(response);
        context.Response.StatusCode = response.Status;
        foreach (var (name, value) in response.Headers)
        {
            context.Response.Headers[name] = value;
        }
        context.Response.ContentLength = response.Body.Length;
        if (!HttpMethods.IsHead(context.Request.Method) && response.Body.Length > 0)
        {
            await context.Response.Body.WriteAsync(response.Body, context.RequestAborted).ConfigureAwait(false);
        }
    }
}
