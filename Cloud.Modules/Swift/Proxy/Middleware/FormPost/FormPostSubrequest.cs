using Microsoft.AspNetCore.Http;

namespace Cloud.Modules.Swift.Proxy.Middleware.FormPost;

/// <summary>
/// The PUT of one file of a form (swift's pre-authorised sub-request): a request of its own, sharing the client's
/// services, request id and cancellation, whose answer is kept for the form's.
/// </summary>
public static class FormPostSubrequest
{
    /// <summary>A chunked PUT of <paramref name="body"/> with <paramref name="headers"/>; its answer's body is discarded.</summary>
    public static HttpContext Put(HttpContext parent, Stream body, IEnumerable<KeyValuePair<string, string>> headers)
    {
        ArgumentNullException.ThrowIfNull(parent);
        var sub = new DefaultHttpContext { RequestServices = parent.RequestServices, RequestAborted = parent.RequestAborted };
        foreach (var (key, value) in parent.Items)
        {
            sub.Items[key] = value;
        }
        sub.Request.Method = "PUT";
        sub.Request.Scheme = parent.Request.Scheme;
        sub.Request.Host = parent.Request.Host;
        sub.Request.Body = body;
        sub.Request.Headers.TransferEncoding = "chunked";
        foreach (var (name, value) in headers)
        {
            sub.Request.Headers[name] = value;
        }
        sub.Response.Body = Stream.Null;
        return sub;
    }
}
