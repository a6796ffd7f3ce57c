using System.Globalization;
using System.Text;
using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.Extensions.Options;

namespace Cloud.Modules.Swift.Proxy;

/// <summary>
/// Swift's proxy server (swift-proxy-server with tempauth): <c>/healthcheck</c>, <c>/info</c>, <c>/auth/v1.0</c>, and the
/// Swift API under <c>/v1/AUTH_&lt;account&gt;</c>, which it checks and spreads over the storage servers by the rings.
/// </summary>
public sealed class SwiftProxyServer(
    IOptions<SwiftProxyFlags> flags, TempAuth auth, SwiftProxyAuthorizer authorizer,
    ProxyAccountHandler accounts, ProxyContainerHandler containers, ProxyObjectHandler objects)
{
    /// <summary>Swift's <c>MAX_FILE_SIZE</c>: the largest object, and the proxy's request body limit.</summary>
    public const long MaxFileSize = (5L << 30) + 2;

    private const int MaxContainerNameBytes = 256;
    private const int MaxObjectNameBytes = 1024;

    /// <summary>Adds the proxy's routes: one catch-all, as names are split from the raw target (objects keep %2F).</summary>
    public void Map(WebApplication app) =>
        app.MapMethods("/{**path}", ["GET", "HEAD", "PUT", "POST", "DELETE", "COPY", "OPTIONS"], HandleAsync);

    /// <summary>Writes an error as swift does: text/plain, with a Content-Length.</summary>
    public static Task WriteErrorAsync(HttpContext context, int status, string message) => SwiftProxyReply.ErrorAsync(context, status, message);

    private async Task HandleAsync(HttpContext context)
    {
        var raw = context.Features.Get<IHttpRequestFeature>()?.RawTarget ?? context.Request.Path.Value ?? "/";
        var queryAt = raw.IndexOf('?', StringComparison.Ordinal);
        var path = queryAt < 0 ? raw : raw[..queryAt];
        var query = queryAt < 0 ? "" : raw[queryAt..];
        var method = context.Request.Method;
        if (path == "/healthcheck")
        {
            await TextAsync(context, "OK").ConfigureAwait(false);
            return;
        }
        if (path is "/info" && method is "GET" or "HEAD")
        {
            await InfoAsync(context).ConfigureAwait(false);
            return;
        }
        if (path is "/auth/v1.0" or "/auth/v1.0/" or "/v1.0" or "/v1.0/")
        {
            await AuthAsync(context).ConfigureAwait(false);
            return;
        }
        if (!path.StartsWith("/v1/", StringComparison.Ordinal))
        {
            await SwiftProxyReply.ErrorAsync(context, StatusCodes.Status404NotFound, "Not Found").ConfigureAwait(false);
            return;
        }
        var segments = path[4..].Split('/', 3);
        var account = Uri.UnescapeDataString(segments[0]);
        var container = segments.Length > 1 && segments[1].Length > 0 ? Uri.UnescapeDataString(segments[1]) : null;
        var obj = segments.Length > 2 && segments[2].Length > 0 ? Uri.UnescapeDataString(segments[2]) : null;
        if (account.Length == 0 || (segments.Length > 2 && container is null))
        {
            await SwiftProxyReply.ErrorAsync(context, StatusCodes.Status412PreconditionFailed, "Bad URL").ConfigureAwait(false);
            return;
        }
        if (account is "." or ".." || container is "." or "..")
        {
            // Names the storage servers' paths could take for dot segments; swift's own clients never make them.
            await SwiftProxyReply.ErrorAsync(context, StatusCodes.Status400BadRequest, $"Invalid {(container is null ? "account" : "container")} name '{container ?? account}'").ConfigureAwait(false);
            return;
        }
        var accountRefusal = await authorizer.AuthorizeAccountAsync(context, account).ConfigureAwait(false);
        if (accountRefusal is { } refusal
            && (container is null || !await authorizer.AclAllowsAsync(context, method, account, container, obj is null).ConfigureAwait(false)))
        {
            await SwiftProxyReply.ErrorAsync(context, refusal.Status, refusal.Message).ConfigureAwait(false);
            return;
        }
        if (container is not null && Encoding.UTF8.GetByteCount(container) > MaxContainerNameBytes)
        {
            await SwiftProxyReply.ErrorAsync(context, StatusCodes.Status400BadRequest, $"Container name length of {Encoding.UTF8.GetByteCount(container)} longer than {MaxContainerNameBytes}").ConfigureAwait(false);
            return;
        }
        if (obj is not null && Encoding.UTF8.GetByteCount(obj) > MaxObjectNameBytes)
        {
            await SwiftProxyReply.ErrorAsync(context, StatusCodes.Status400BadRequest, $"Object name length of {Encoding.UTF8.GetByteCount(obj)} longer than {MaxObjectNameBytes}").ConfigureAwait(false);
            return;
        }
        var request = new SwiftProxyRequest(context, account, container, obj, query, accountRefusal is null);
        var task = obj is not null ? objects.HandleAsync(request)
            : container is not null ? containers.HandleAsync(request)
            : accounts.HandleAsync(request);
        await task.ConfigureAwait(false);
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
        await TextAsync(context, "").ConfigureAwait(false);
    }

    private static string FirstOf(IHeaderDictionary headers, string name, string fallback)
    {
        var value = headers[name].ToString();
        return value.Length > 0 ? value : headers[fallback].ToString();
    }

    private static async Task InfoAsync(HttpContext context)
    {
        var info = new Dictionary<string, object>
        {
            ["swift"] = new Dictionary<string, object>
            {
                ["version"] = "2.30.0",
                ["max_file_size"] = MaxFileSize,
                ["max_meta_name_length"] = 128,
                ["max_meta_value_length"] = 256,
                ["max_meta_count"] = 90,
                ["max_meta_overall_size"] = 4096,
                ["max_object_name_length"] = MaxObjectNameBytes,
                ["max_container_name_length"] = MaxContainerNameBytes,
                ["max_account_name_length"] = 256,
                ["container_listing_limit"] = 10000,
                ["account_listing_limit"] = 10000,
                ["strict_cors_mode"] = true,
                ["policies"] = new[] { new Dictionary<string, object> { ["name"] = "Policy-0", ["default"] = true } },
            },
            ["tempauth"] = TempAuth.Capabilities,
        };
        var body = JsonSerializer.SerializeToUtf8Bytes(info);
        context.Response.ContentType = "application/json; charset=UTF-8";
        context.Response.ContentLength = body.Length;
        if (!HttpMethods.IsHead(context.Request.Method))
        {
            await context.Response.Body.WriteAsync(body, context.RequestAborted).ConfigureAwait(false);
        }
    }

    private static async Task TextAsync(HttpContext context, string text)
    {
        var body = Encoding.UTF8.GetBytes(text);
        context.Response.StatusCode = StatusCodes.Status200OK;
        context.Response.ContentType = "text/plain; charset=UTF-8";
        context.Response.ContentLength = body.Length;
        if (!HttpMethods.IsHead(context.Request.Method))
        {
            await context.Response.Body.WriteAsync(body, context.RequestAborted).ConfigureAwait(false);
        }
    }
}
