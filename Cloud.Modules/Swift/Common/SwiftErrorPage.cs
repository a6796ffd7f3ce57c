using System.Text;
using Microsoft.AspNetCore.Http;

namespace Cloud.Modules.Swift.Common;

/// <summary>
/// Error answers as Swift's servers give them (swob's responses): <c>text/html; charset=UTF-8</c>, and, when the
/// caller has nothing more to say than the status's reason, swob's standard page
/// <c>&lt;html&gt;&lt;h1&gt;Not Found&lt;/h1&gt;&lt;p&gt;The resource could not be found.&lt;/p&gt;&lt;/html&gt;</c>.
/// Clients and scripts match on these bodies, so the proxy and every storage server answer alike.
/// </summary>
public static class SwiftErrorPage
{
    public const string ContentType = "text/html; charset=UTF-8";

    // swob.RESPONSE_REASONS: the status's title and its explanation.
    private static readonly Dictionary<int, (string Title, string Explanation)> Reasons = new()
    {
        [202] = ("Accepted", "The request is accepted for processing."),
        [301] = ("Moved Permanently", "The resource has moved permanently."),
        [302] = ("Found", "The resource has moved temporarily."),
        [303] = ("See Other", "The response to the request can be found under a different URI."),
        [307] = ("Temporary Redirect", "The resource has moved temporarily."),
        [400] = ("Bad Request", "The server could not comply with the request since it is either malformed or otherwise incorrect."),
        [401] = ("Unauthorized", "This server could not verify that you are authorized to access the document you requested."),
        [402] = ("Payment Required", "Access was denied for financial reasons."),
        [403] = ("Forbidden", "Access was denied to this resource."),
        [404] = ("Not Found", "The resource could not be found."),
        [405] = ("Method Not Allowed", "The method is not allowed for this resource."),
        [406] = ("Not Acceptable", "The resource is not available in a format acceptable to your browser."),
        [408] = ("Request Timeout", "The server has waited too long for the request to be sent by the client."),
        [409] = ("Conflict", "There was a conflict when trying to complete your request."),
        [410] = ("Gone", "This resource is no longer available."),
        [411] = ("Length Required", "Content-Length header required."),
        [412] = ("Precondition Failed", "A precondition for this request was not met."),
        [413] = ("Request Entity Too Large", "The body of your request was too large for this server."),
        [414] = ("Request URI Too Long", "The request URI was too long for this server."),
        [415] = ("Unsupported Media Type", "The request media type is not supported by this server."),
        [416] = ("Requested Range Not Satisfiable", "The Range requested is not available."),
        [417] = ("Expectation Failed", "Expectation failed."),
        [422] = ("Unprocessable Entity", "Unable to process the contained instructions"),
        [499] = ("Client Disconnect", "The client was disconnected during request."),
        [500] = ("Internal Error", "The server has either erred or is incapable of performing the requested operation."),
        [501] = ("Not Implemented", "The requested method is not implemented by this server."),
        [502] = ("Bad Gateway", "Bad gateway."),
        [503] = ("Service Unavailable", "The server is currently unavailable. Please try again at a later time."),
        [504] = ("Gateway Timeout", "A timeout has occurred speaking to a backend server."),
        [507] = ("Insufficient Storage", "There was not enough space to save the resource."),
    };

    /// <summary>
    /// The body Swift sends for <paramref name="status"/> with <paramref name="message"/>: the standard page when the
    /// message is empty or only the status's title, else the message itself (as swob's <c>body=</c>).
    /// </summary>
    public static string Body(int status, string? message)
    {
        if (Reasons.TryGetValue(status, out var reason) && (string.IsNullOrEmpty(message) || message == reason.Title))
        {
            return $"<html><h1>{reason.Title}</h1><p>{reason.Explanation}</p></html>";
        }
        return message ?? "";
    }

    /// <summary>swob's title and explanation of <paramref name="status"/>, or null for a status swob has none for.</summary>
    public static (string Title, string Explanation)? Reason(int status) => Reasons.TryGetValue(status, out var reason) ? reason : null;

    /// <summary>Writes the error (headers only for HEAD, and for 204/304 nothing but the status), of <paramref name="contentType"/> (default <see cref="ContentType"/>).</summary>
    public static async Task WriteAsync(HttpContext context, int status, string? message, string contentType = ContentType)
    {
        ArgumentNullException.ThrowIfNull(context);
        if (context.Response.HasStarted)
        {
            return;
        }
        var response = context.Response;
        response.StatusCode = status;
        if (status is 204 or 304)
        {
            // swift also sends Content-Length: 0 here, but Kestrel drops it (RFC 9110 forbids it); clients do not need it.
            response.Headers.ContentLength = 0;
            return;
        }
        var body = Encoding.UTF8.GetBytes(Body(status, message));
        response.ContentType = contentType;
        response.ContentLength = body.Length;
        if (!HttpMethods.IsHead(context.Request.Method))
        {
            await response.Body.WriteAsync(body, context.RequestAborted).ConfigureAwait(false);
        }
    }
}
