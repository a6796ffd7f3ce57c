using System.Text;
using Cloud.Modules.Swift.Common;
using Microsoft.AspNetCore.Http;

namespace Cloud.Modules.Swift.Proxy;

/// <summary>Writes the proxy's answers: a storage server's answer relayed, or the proxy's own error page, with a Content-Length (except on 204/304, where Kestrel omits it).</summary>
public static class SwiftProxyReply
{
    // Hop-by-hop headers and ones Kestrel sets itself; the rest of a backend answer goes to the client unchanged.
    private static readonly HashSet<string> Dropped = new(StringComparer.OrdinalIgnoreCase)
    {
        "Transfer-Encoding", "Connection", "Keep-Alive", "Date", "Server", "X-Openstack-Request-Id", "Content-Length",
        "X-Backend-Timestamp",
    };

    /// <summary>Relays <paramref name="backend"/>; null (no storage server answered) becomes 503.</summary>
    public static async Task RelayAsync(HttpContext context, HttpResponseMessage? backend)
    {
        if (backend is null)
        {
            await ErrorAsync(context, StatusCodes.Status503ServiceUnavailable, "Service Unavailable").ConfigureAwait(false);
            return;
        }
        using (backend)
        {
            var response = context.Response;
            response.StatusCode = (int)backend.StatusCode;
            // As the storage server wrote them: parsed values would come back reformatted (a multipart
            // Content-Type's ";boundary=" as "; boundary=").
            foreach (var (name, values) in backend.Headers.NonValidated.Concat(backend.Content.Headers.NonValidated))
            {
                if (!Dropped.Contains(name))
                {
                    response.Headers[name] = values.ToArray();
                }
            }
            var length = backend.Content.Headers.ContentLength;
            if (HttpMethods.IsHead(context.Request.Method) || response.StatusCode is 204 or 304)
            {
                SetLength(response, length ?? 0);
                return;
            }
            if (length is { } known)
            {
                response.ContentLength = known;
                var body = await backend.Content.ReadAsStreamAsync(context.RequestAborted).ConfigureAwait(false);
                await using (body.ConfigureAwait(false))
                {
                    await body.CopyToAsync(response.Body, context.RequestAborted).ConfigureAwait(false);
                }
                return;
            }
            // Listings may come chunked; they are small, so they are buffered to answer with a length.
            var bytes = await backend.Content.ReadAsByteArrayAsync(context.RequestAborted).ConfigureAwait(false);
            response.ContentLength = bytes.Length;
            await response.Body.WriteAsync(bytes, context.RequestAborted).ConfigureAwait(false);
        }
    }

    /// <summary>Relays an account's or container's read; a found one says ranges are accepted, as swift's proxy says on every GET/HEAD.</summary>
    public static Task RelayReadAsync(HttpContext context, HttpResponseMessage? backend)
    {
        ArgumentNullException.ThrowIfNull(context);
        if (backend is { IsSuccessStatusCode: true })
        {
            context.Response.Headers.AcceptRanges = "bytes";
        }
        return RelayAsync(context, backend);
    }

    /// <summary>
    /// An error from the proxy itself, as Swift's (<see cref="SwiftErrorPage"/>; headers only for HEAD). A 401 says
    /// how to authenticate, as swob adds it to every 401: <c>WWW-Authenticate: Swift realm="&lt;account&gt;"</c>.
    /// </summary>
    public static Task ErrorAsync(HttpContext context, int status, string message) => WriteErrorAsync(context, status, message, SwiftErrorPage.ContentType);

    /// <summary>
    /// An error whose body is Swift's own plain-text message (constraints' and the proxy's refusals that swift writes
    /// with <c>content_type='text/plain'</c>: metadata limits, name lengths, If-None-Match).
    /// </summary>
    public static Task PlainErrorAsync(HttpContext context, int status, string message) => WriteErrorAsync(context, status, message, "text/plain");

    private static Task WriteErrorAsync(HttpContext context, int status, string message, string contentType)
    {
        ArgumentNullException.ThrowIfNull(context);
        if (status == StatusCodes.Status401Unauthorized && !context.Response.HasStarted && !context.Response.Headers.ContainsKey("WWW-Authenticate"))
        {
            context.Response.Headers.WWWAuthenticate = $"Swift realm=\"{RealmOf(context)}\"";
        }
        return SwiftErrorPage.WriteAsync(context, status, message, contentType);
    }

    // swob's www_authenticate: the path's second segment (the account), "unknown" for the auth endpoints or none.
    private static string RealmOf(HttpContext context)
    {
        var segments = (context.Request.Path.Value ?? "").TrimStart('/').Split('/', 3);
        var realm = segments.Length >= 2 ? segments[1] : "";
        return realm.Length == 0 || realm is "v1.0" or "auth" || segments[0].Length == 0 ? "unknown" : Uri.EscapeDataString(realm);
    }

    /// <summary>A 200 from the proxy itself with a text body (headers only for HEAD), of <paramref name="contentType"/>.</summary>
    public static async Task TextAsync(HttpContext context, string text, string contentType = "text/plain; charset=UTF-8")
    {
        ArgumentNullException.ThrowIfNull(context);
        var body = Encoding.UTF8.GetBytes(text);
        context.Response.StatusCode = StatusCodes.Status200OK;
        context.Response.ContentType = contentType;
        context.Response.ContentLength = body.Length;
        if (!HttpMethods.IsHead(context.Request.Method))
        {
            await context.Response.Body.WriteAsync(body, context.RequestAborted).ConfigureAwait(false);
        }
    }

    private static void SetLength(HttpResponse response, long length) =>
        // swift also sends Content-Length: 0 on a 204, but Kestrel drops it there (RFC 9110 forbids it); clients do not need it.
        response.Headers.ContentLength = length;
}
