using Microsoft.AspNetCore.Http;

namespace Cloud.Modules.Swift.Proxy.Middleware.Versioning;

/// <summary>The answer of a <see cref="ProxySubRequest"/>: its status, headers and (small) body.</summary>
public sealed record ProxySubResponse(int Status, IHeaderDictionary Headers, byte[] Body)
{
    public bool IsSuccess => Status is >= 200 and < 300;

    /// <summary>swift's <c>_check_response_error</c>: null for a success, else 412 for a client error and 503 otherwise.</summary>
    public int? Failure => IsSuccess ? null : Status is >= 400 and < 500 ? StatusCodes.Status412PreconditionFailed : StatusCodes.Status503ServiceUnavailable;
}

/// <summary>
/// swift's <c>make_pre_authed_request</c>: a request of the middleware's own, already authorised, sent through the rest
/// of the pipeline (so to the controllers and, through them, the storage servers) with its own request and response.
/// </summary>
public static class ProxySubRequest
{
    /// <summary>Sends <paramref name="method"/> on <paramref name="container"/>/<paramref name="obj"/> down <paramref name="next"/>.</summary>
    public static async Task<ProxySubResponse> RunAsync(
        SwiftProxyRequest parent, Func<SwiftProxyRequest, Task> next, string method, string container, string? obj, string query = "",
        IEnumerable<KeyValuePair<string, string>>? headers = null, Stream? body = null, long? length = null)
    {
        ArgumentNullException.ThrowIfNull(parent);
        ArgumentNullException.ThrowIfNull(next);
        var context = new DefaultHttpContext { RequestServices = parent.Context.RequestServices, RequestAborted = parent.Aborted };
        foreach (var (key, value) in parent.Context.Items)
        {
            context.Items[key] = value;
        }
        context.Request.Method = method;
        context.Request.Body = body ?? Stream.Null;
        context.Request.ContentLength = length ?? (method == "PUT" && body is null ? 0 : null);
        foreach (var (name, value) in headers ?? [])
        {
            context.Request.Headers[name] = value;
        }
        using var output = new MemoryStream();
        context.Response.Body = output;
        await next(parent with { Context = context, Container = container, Object = obj, Query = query, Copy = null, AccountRefusal = null, OwnsAccount = true })
            .ConfigureAwait(false);
        return new ProxySubResponse(context.Response.StatusCode, context.Response.Headers, output.ToArray());
    }
}
