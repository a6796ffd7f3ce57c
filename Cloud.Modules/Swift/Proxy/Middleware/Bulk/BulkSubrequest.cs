using Cloud.Modules.Swift.Proxy.Pipeline;
using Microsoft.AspNetCore.Http;

namespace Cloud.Modules.Swift.Proxy.Middleware.Bulk;

/// <summary>
/// One request bulk makes on the client's behalf (swift's <c>make_subrequest</c>): it runs through the rest of the
/// pipeline with the client's token, so auth, ACLs, quotas and name limits judge it as if the client had sent it.
/// Only its status matters; its body is discarded.
/// </summary>
public static class BulkSubrequest
{
    /// <summary>Runs <paramref name="method"/> on <paramref name="path"/> (percent-encoded) and returns the status it got.</summary>
    public static async Task<int> RunAsync(
        HttpContext client, Func<SwiftProxyEntry, Task> next, string method, string path, Stream? body = null, long length = 0,
        IEnumerable<KeyValuePair<string, string>>? headers = null)
    {
        ArgumentNullException.ThrowIfNull(client);
        ArgumentNullException.ThrowIfNull(next);
        var context = new DefaultHttpContext { RequestAborted = client.RequestAborted, RequestServices = client.RequestServices };
        var request = context.Request;
        request.Method = method;
        request.Scheme = client.Request.Scheme;
        request.Host = client.Request.Host;
        request.Path = "/";
        foreach (var name in (string[])["X-Auth-Token", "X-Storage-Token"])
        {
            if (client.Request.Headers.TryGetValue(name, out var token))
            {
                request.Headers[name] = token;
            }
        }
        foreach (var (name, value) in headers ?? [])
        {
            request.Headers[name] = value;
        }
        request.ContentLength = length;
        request.Body = body ?? Stream.Null;
        foreach (var key in (string[])[nameof(Kernel.Auth.RequestContext.RequestId)])
        {
            if (client.Items.TryGetValue(key, out var value))
            {
                context.Items[key] = value;
            }
        }
        await next(new SwiftProxyEntry(context, path, "")).ConfigureAwait(false);
        return context.Response.StatusCode;
    }

    /// <summary>Swift's <c>wsgi_quote</c> of a path: every byte but letters, digits, <c>_.-~/</c> percent-encoded.</summary>
    public static string Quote(string path) => Uri.EscapeDataString(path).Replace("%2F", "/", StringComparison.Ordinal);

    /// <summary>"201 Created" for 201: a status as swob's <c>resp.status</c> gives it.</summary>
    public static string StatusLine(int status) => $"{status} {ReasonOf(status)}";

    private static string ReasonOf(int status) =>
        status switch
        {
            200 => "OK",
            201 => "Created",
            202 => "Accepted",
            204 => "No Content",
            406 => "Not Acceptable",
            411 => "Length Required",
            414 => "Request URI Too Long",
            416 => "Requested Range Not Satisfiable",
            499 => "Client Disconnect",
            500 => "Internal Error",
            _ => Microsoft.AspNetCore.WebUtilities.ReasonPhrases.GetReasonPhrase(status) is { Length: > 0 } phrase ? phrase : "Unknown",
        };
}
