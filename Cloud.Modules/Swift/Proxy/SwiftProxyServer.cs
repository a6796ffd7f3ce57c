using System.Globalization;
using System.Text;
using System.Text.Json;
using Cloud.Modules.Swift.Common;
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
    IOptions<SwiftProxyFlags> flags, TempAuth auth, SwiftProxyAuthSettings authSettings, Identity.RequestAuthenticator keystone, SwiftRings rings, SwiftBackend backend,
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
        var accountRefusal = await AuthorizeAsync(context, account).ConfigureAwait(false);
        if (accountRefusal is { } refusal && (container is null || !await AclAllowsAsync(context, account, container, obj is null).ConfigureAwait(false)))
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

    /// <summary>
    /// A tempauth token (<c>AUTH_tk...</c>) or, with <c>swift_keystone_auth</c>, a Keystone token from the identity module: a Keystone user may use
    /// the account of the project the token is scoped to (<c>AUTH_&lt;project id&gt;</c>, as the catalog says),
    /// an admin any account.
    /// </summary>
    private async Task<(int Status, string Message)?> AuthorizeAsync(HttpContext context, string account)
    {
        var headers = context.Request.Headers;
        var token = headers["X-Auth-Token"].ToString();
        if (token.Length == 0)
        {
            token = headers["X-Storage-Token"].ToString();
        }
        if (await auth.ValidateAsync(token, context.RequestAborted).ConfigureAwait(false) is { } user)
        {
            return user.MayUse(account) ? null : (StatusCodes.Status403Forbidden, "Forbidden");
        }
        if (!AcceptsKeystone(token))
        {
            return (StatusCodes.Status401Unauthorized, "Unauthorized");
        }
        Kernel.Auth.RequestContext caller;
        try
        {
            caller = await keystone.FromTokenAsync(token, (string)context.Items[nameof(Kernel.Auth.RequestContext.RequestId)]!, null, context.RequestAborted).ConfigureAwait(false);
        }
        catch (Kernel.CloudException)
        {
            return (StatusCodes.Status401Unauthorized, "Unauthorized");
        }
        return caller.IsAdmin || (caller.ProjectId is { } project && account == TempAuth.ResellerPrefix + project)
            ? null
            : (StatusCodes.Status403Forbidden, "Forbidden");
    }

    /// <summary>Whether <paramref name="token"/> is one to check with Keystone: it is enabled and the token is not tempauth's.</summary>
    private bool AcceptsKeystone(string token) =>
        authSettings.Keystone && token.Length > 0 && !token.StartsWith("AUTH_tk", StringComparison.Ordinal);

    /// <summary>The caller's names for ACLs: tempauth <c>account:user</c> and <c>account</c>, Keystone <c>project:user</c> and <c>project:*</c>.</summary>
    private async Task<IReadOnlyCollection<string>> AclNamesAsync(HttpContext context)
    {
        var token = context.Request.Headers["X-Auth-Token"].ToString() is { Length: > 0 } t ? t : context.Request.Headers["X-Storage-Token"].ToString();
        if (await auth.ValidateAsync(token, context.RequestAborted).ConfigureAwait(false) is { } user)
        {
            return [$"{user.Account}:{user.User}", user.Account];
        }
        if (!AcceptsKeystone(token))
        {
            return [];
        }
        try
        {
            var caller = await keystone.FromTokenAsync(token, "", null, context.RequestAborted).ConfigureAwait(false);
            return caller.ProjectId is null ? [] : [$"{caller.ProjectId}:{caller.UserId}", $"{caller.ProjectId}:*"];
        }
        catch (Kernel.CloudException)
        {
            return [];
        }
    }

    /// <summary>Whether the container's ACLs let this caller do what it asks (reads: X-Container-Read, writes: X-Container-Write).</summary>
    private async Task<bool> AclAllowsAsync(HttpContext context, string account, string container, bool listing)
    {
        var method = context.Request.Method;
        var read = method is "GET" or "HEAD";
        if (!read && (listing || method is not ("PUT" or "POST" or "DELETE")))
        {
            // Container writes (create, delete, set ACLs) stay with the account's owners.
            return false;
        }
        var (part, _) = rings.Container.GetNodes(account, container);
        using var head = await backend.FirstAsync(rings.Container, part, n => SwiftBackend.PathOf(n, part, account, container), "HEAD", null, context.RequestAborted).ConfigureAwait(false);
        if (head is not { IsSuccessStatusCode: true })
        {
            return false;
        }
        string? Header(string name) => head.Headers.TryGetValues(name, out var v) ? string.Join(',', v) : null;
        var names = await AclNamesAsync(context).ConfigureAwait(false);
        return read
            ? ContainerAcl.AllowsRead(Header("X-Container-Read"), names, listing)
            : ContainerAcl.AllowsWrite(Header("X-Container-Write"), names);
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
