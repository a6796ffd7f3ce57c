using System.Globalization;
using Cloud.Modules.Swift.Proxy.Pipeline;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Options;

namespace Cloud.Modules.Swift.Proxy.Middleware;

/// <summary>
/// tempauth's token endpoint, <c>/auth/v1.0</c> (and <c>/v1.0</c>): X-Auth-User and X-Auth-Key (or X-Storage-User and
/// X-Storage-Pass) buy a token and the account's storage URL; a wrong pair is 401.
/// </summary>
public sealed class TempAuthMiddleware(IOptions<SwiftProxyFlags> flags, TempAuth auth) : ISwiftProxyMiddleware<SwiftProxyEntry>
{
    public Task InvokeAsync(SwiftProxyEntry request, Func<SwiftProxyEntry, Task> next)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(next);
        return request.Path is "/auth/v1.0" or "/auth/v1.0/" or "/v1.0" or "/v1.0/" ? AuthAsync(request.Context) : next(request);
    }

    private async Task AuthAsync(HttpContext context)
    {
        var headers = context.Request.Headers;
        var user = FirstOf(headers, "X-Auth-User", "X-Storage-User");
        var key = FirstOf(headers, "X-Auth-Key", "X-Storage-Pass");
        if (await auth.AuthenticateAsync(user, key, context.RequestAborted).ConfigureAwait(false) is not { } issued)
        {
            await SwiftProxyReply.ErrorAsync(context, StatusCodes.Status401Unauthorized, "Unauthorized").ConfigureAwait(false);
            return;
        }
        var configured = flags.Value.SwiftStorageUrlBase.TrimEnd('/');
        var baseUrl = configured.Length > 0 ? configured : $"{context.Request.Scheme}://{context.Request.Host}/v1";
        var response = context.Response;
        response.Headers["X-Storage-Url"] = $"{baseUrl}/{TempAuth.ResellerPrefix}{issued.User.Account}";
        response.Headers["X-Auth-Token"] = issued.Token;
        response.Headers["X-Storage-Token"] = issued.Token;
        response.Headers["X-Auth-Token-Expires"] = auth.LifeSeconds.ToString(CultureInfo.InvariantCulture);
        // tempauth answers with a bare swob Response, whose default type is text/html.
        await SwiftProxyReply.TextAsync(context, "", Common.SwiftErrorPage.ContentType).ConfigureAwait(false);
    }

    private static string FirstOf(IHeaderDictionary headers, string name, string fallback)
    {
        var value = headers[name].ToString();
        return value.Length > 0 ? value : headers[fallback].ToString();
    }
}
